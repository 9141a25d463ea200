export { BillitClient, type DownloadedFile, type ListQuery, type OrderPatch } from './client.js';
export * from './errors/index.js';
export { odataAnd, odataDateTime, odataString } from './odata.js';
export type { BillitClientOptions, BillitCredentials, RefreshTokenStore, AttemptEvent } from './options.js';
export type { AccountInformation, Company, Order, OrderSummary, Transaction, BillitDocument, FeedItem, Page } from './schemas.js';
