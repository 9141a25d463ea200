import { z } from 'zod';

/**
 * The shapes billsync relies on, checked at the boundary (reference/billit-api.md §4). Objects are
 * loose: Billit adds fields over time, and only the fields named here are promised to the rest of
 * the program. Nullable wherever Billit is known to leave a field empty.
 */

const id = z.number().int();
const text = z.string();
const maybeText = z.string().nullish();

export const FileRefSchema = z.looseObject({ FileID: text, FileName: maybeText });

/**
 * A file reference that may be empty: .NET serialisers write an absent File as an object whose
 * FileID is null (or an empty string) rather than as null. Such a reference means "no file".
 */
const maybeFileRef = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (isEmptyFileRef(value) ? null : value), schema.nullish());

/** An object whose FileID is null, absent or ''. Anything else is checked as it is (a numeric FileID is refused). */
function isEmptyFileRef(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const fileId = (value as { FileID?: unknown }).FileID;
  return fileId === null || fileId === undefined || fileId === '';
}

/** A list of file references, without the empty ones (see maybeFileRef). */
const fileRefList = z.preprocess(
  (value) => (Array.isArray(value) ? value.filter((entry) => !isEmptyFileRef(entry)) : value),
  z.array(FileRefSchema).nullish(),
);

/** An amount that some serialisers write as a string ("44.04"); only for display and search, never booked. */
const amount = z.preprocess((value) => (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value), z.number().nullish());

export const OrderSummarySchema = z.looseObject({
  OrderID: id,
  CompanyID: id.nullish(),
  OrderNumber: maybeText,
  OrderType: maybeText,
  // Required: an invoice whose direction is unknown must fail loudly, not be skipped without a word.
  OrderDirection: text,
  OrderDate: maybeText,
  Created: maybeText,
  LastModified: text,
  ApprovalStatus: maybeText,
  ExportedToConnector: z.boolean().nullish(),
  TotalIncl: amount,
  Currency: maybeText,
  CounterParty: z.looseObject({ Name: maybeText, VATNumber: maybeText }).nullish(),
});

export const OrderSchema = OrderSummarySchema.extend({
  OrderPDF: maybeFileRef(FileRefSchema),
  Attachments: fileRefList,
  Customer: z.looseObject({ Name: maybeText, VATNumber: maybeText }).nullish(),
  Supplier: z.looseObject({ Name: maybeText, VATNumber: maybeText }).nullish(),
});

export const DeletedOrderSchema = z.looseObject({ OrderID: id, LastModified: maybeText });

export const FileSchema = z.looseObject({ FileID: text, FileName: text, MimeType: maybeText, FileContent: text });

export const CompanySchema = z.looseObject({
  PartyID: id,
  Name: maybeText,
  CommercialName: maybeText,
  VATNumber: maybeText,
  PeppolIdentifier: maybeText,
  // A company without a name still needs a dossier folder: its commercial name, else its PartyID.
}).transform((company) => ({ ...company, Name: company.Name?.trim() || company.CommercialName?.trim() || `PartyID ${company.PartyID}` }));

export const AccountInformationSchema = z.looseObject({
  Email: maybeText,
  // Required: a 200 without it (Billit's error shape, a portal page) must not read as "no dossiers".
  Companies: z.array(CompanySchema),
});

export const TransactionSchema = z.looseObject({
  BankAccountTransactionID: id,
  IBAN: maybeText,
  CodaFileID: maybeText,
  ValueDate: maybeText,
});

export const DocumentSchema = z.looseObject({
  DocumentID: id,
  Name: maybeText,
  DocumentDate: maybeText,
  CreationDate: maybeText,
  File: maybeFileRef(z.looseObject({ FileID: text, FileName: maybeText, MimeType: maybeText })),
});

export const FeedSchema = z.looseObject({ Name: text });
export const FeedItemSchema = z.looseObject({ FeedItemID: id, EntityID: id, EntityType: text, PartyID: id });
export const FileDetailsSchema = z.looseObject({ FileName: text, FileContent: text, FileContentSHA256Hash: text });

export const TokenResponseSchema = z.looseObject({
  access_token: text, refresh_token: text,
  // Billit documents 3600 (a number); a serialiser that writes "3600", or leaves it out, still means an hour.
  expires_in: z.preprocess((value) => (typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value ?? 3600), z.number().positive()),
  token_type: text.nullish(),
});

/** A page of a list endpoint: {Items, NextPageLink, Count}. */
export const pageSchema = <T extends z.ZodType>(item: T) => z.looseObject({
  Items: z.array(item),
  NextPageLink: maybeText,
  Count: z.number().int().nullish(),
});

export type FileRef = z.infer<typeof FileRefSchema>;
export type OrderSummary = z.infer<typeof OrderSummarySchema>;
export type Order = z.infer<typeof OrderSchema>;
export type DeletedOrder = z.infer<typeof DeletedOrderSchema>;
export type Company = z.infer<typeof CompanySchema>;
export type AccountInformation = z.infer<typeof AccountInformationSchema>;
export type Transaction = z.infer<typeof TransactionSchema>;
export type BillitDocument = z.infer<typeof DocumentSchema>;
export type FeedItem = z.infer<typeof FeedItemSchema>;
export interface Page<T> { items: T[]; nextPageLink: string | null; count: number | null; }

/** "Items[3].OrderID: expected number, received string" — readable zod issues for error messages. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.reduce<string>((acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : `${acc}${acc ? '.' : ''}${String(part)}`), '');
    return `${path || '(body)'}: ${issue.message}`;
  });
}
