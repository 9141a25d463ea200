/** What a document is for Venice, which decides its folder (product.md §2, §4). */
export const DOCUMENT_KINDS = ['purchase', 'sales', 'document', 'coda'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** Where a document came from in Billit. */
export const DOCUMENT_SOURCES = ['orders', 'feed', 'documents', 'coda'] as const;
export type DocumentSource = (typeof DOCUMENT_SOURCES)[number];

/**
 * A document's life in the ledger: seen → fetched → placed → acknowledged; quarantined when it fails
 * checks; picked_up once Venice took the file out of the folder.
 */
export const DOCUMENT_STATES = ['seen', 'fetched', 'placed', 'acknowledged', 'quarantined', 'picked_up'] as const;
export type DocumentState = (typeof DOCUMENT_STATES)[number];
