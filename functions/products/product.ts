import * as z from 'zod/mini';

export interface Product {
  /** Made by the server (a random UUID); clients never choose it. */
  id: string;
  name: string;
  price: number;
  description?: string;
}

export const MAX_NAME_LENGTH = 200;
export const MAX_DESCRIPTION_LENGTH = 2000;

/** RFC 9562 UUIDs (any version, with the RFC variant) and the nil and max UUIDs, as zod's z.uuid() accepts. */
const PRODUCT_ID = /^(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$/;

export function isProductId(value: unknown): value is string {
  return typeof value === 'string' && PRODUCT_ID.test(value);
}

/** "is required" when the field is absent, "must be <kind>" when it has another type. */
const expected = (kind: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : `must be ${kind}`),
});

/** Whole cents, exactly: 19.99 passes, 1.005 and 0.1 + 0.2 do not, and the cents stay a safe integer. */
const isWholeCents = (price: number) => {
  const cents = Math.round(price * 100);
  return Number.isSafeInteger(cents) && cents / 100 === price;
};

/**
 * The body of POST /products. Strict: an unknown field (a typo such as `desciption`, or an `id` the client
 * hoped to choose) is refused with its name rather than silently dropped, so the client learns at once
 * that the server did not store what it sent.
 */
const buildNewProductSchema = () =>
  z.strictObject({
    name: z
      .string(expected('a string'))
      .check(
        z.trim(),
        z.minLength(1, { error: 'must not be empty' }),
        z.maxLength(MAX_NAME_LENGTH, { error: `must be at most ${MAX_NAME_LENGTH} characters` }),
      ),
    // zod 4 numbers are finite: NaN and Infinity (JSON 1e999) are refused as not numbers.
    price: z
      .number(expected('a number'))
      .check(z.nonnegative({ error: 'must not be negative' }), z.refine(isWholeCents, { error: 'must have at most 2 decimal places' })),
    description: z.optional(
      z
        .string(expected('a string'))
        .check(z.trim(), z.maxLength(MAX_DESCRIPTION_LENGTH, { error: `must be at most ${MAX_DESCRIPTION_LENGTH} characters` })),
    ),
  });

let newProduct: ReturnType<typeof buildNewProductSchema> | undefined;

/** Built on the first POST: constructing zod schemas costs cold-start time that reads never need. */
export const newProductSchema = () => (newProduct ??= buildNewProductSchema());

export type NewProduct = z.output<ReturnType<typeof newProductSchema>>;

/** A product as read back from the store, anything else in the item dropped; undefined when it is not one. */
export function readStoredProduct(item: Record<string, unknown>): Product | undefined {
  const { id, name, price, description } = item;
  if (!isProductId(id) || typeof name !== 'string' || typeof price !== 'number' || !Number.isFinite(price)) return undefined;
  if (description !== undefined && typeof description !== 'string') return undefined;
  return { id, name, price, ...(description !== undefined && { description }) };
}
