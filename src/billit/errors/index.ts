export { BillitError } from './billit-error.js';
export { ApiKeyRejectedError } from './api-key-rejected-error.js';
export { PartyAccessError } from './party-access-error.js';
export { BillitHttpError, type BillitErrorEntry } from './billit-http-error.js';
export { BillitUnreachableError, type NetworkFailureKind } from './billit-unreachable-error.js';
export { ProxyAuthenticationError } from './proxy-authentication-error.js';
export { MalformedResponseError } from './malformed-response-error.js';
export { DownloadIntegrityError } from './download-integrity-error.js';
