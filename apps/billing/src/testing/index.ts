export * from './billing.fakes';
export * from './fake-call-accounts.repository';
export * from './fake-customers.repository';
export * from './fake-holds.repository';
export * from './fake-ledger.repository';
export * from './fake-payment-gateway';
export * from './stand-in';
