import { ERROR_STATUS } from '@vidivo/contracts';
import { AppError } from '@vidivo/platform';

/** How a use case said no: the HTTP status its error becomes, its code, and the fields it names. */
export interface Refusal {
  status: number;
  code: string;
  fields: string[];
}

/** The refusal the promise ends in; fails when it succeeds or fails with anything but an {@link AppError}. */
export async function refusal(promise: Promise<unknown>): Promise<Refusal> {
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { status: ERROR_STATUS[error.code], code: error.code, fields: (error.details ?? []).map((detail) => detail.field) };
  }
  throw new Error('expected a refusal, but it succeeded');
}
