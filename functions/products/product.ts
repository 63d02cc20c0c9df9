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

export const productIdSchema = z.uuid();

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
export const newProductSchema = z.strictObject({
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

export type NewProduct = z.output<typeof newProductSchema>;

/** A product as read back from the store; anything else in the item is dropped. */
export const storedProductSchema = z.object({
  id: productIdSchema,
  name: z.string(),
  price: z.number(),
  description: z.optional(z.string()),
});
