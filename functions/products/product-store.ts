import type { Product } from './product.js';

/** Where the next page starts: the key of the last item of the previous one (DynamoDB's LastEvaluatedKey). */
export interface ProductCursor {
  id: string;
}

export interface ProductPage {
  items: Product[];
  /** Absent on the last page. */
  next?: ProductCursor;
}

/**
 * What the products API needs from storage. Implementations throw StoreUnavailable when the backing
 * service fails and CorruptProduct when an item is not a product.
 */
export interface ProductStore {
  /** At most `limit` products, starting after `cursor`. */
  list(limit: number, cursor?: ProductCursor): Promise<ProductPage>;
  get(id: string): Promise<Product | undefined>;
  /** Creates the product, or replaces the one with the same id. */
  put(product: Product): Promise<void>;
  /** False when there was no such product. */
  delete(id: string): Promise<boolean>;
}
