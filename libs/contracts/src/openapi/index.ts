export * from './calls.schemas';
export * from './errors.schemas';
export * from './identity.schemas';
export * from './links.schemas';
export * from './paging.schemas';
export * from './scheduling.schemas';
export * from './billing.schemas';
