import type { Product } from '../../functions/products/product.js';
import type { ProductPage, ProductStore } from '../../functions/products/product-store.js';
import { StoreUnavailable } from '../../functions/products/errors.js';

/** ProductStore in a Map, for the handler tests; held to the same contract as the DynamoDB adapter. */
export function inMemoryProductStore(initial: readonly Product[] = []): ProductStore & { products: Map<string, Product> } {
  const products = new Map(initial.map((product) => [product.id, { ...product }]));
  return {
    products,
    async list(limit, cursor) {
      const ordered = [...products.values()].sort((a, b) => a.id.localeCompare(b.id));
      const start = cursor === undefined ? 0 : ordered.findIndex((product) => product.id > cursor.id);
      const items = start < 0 ? [] : ordered.slice(start, start + limit);
      const last = items.at(-1);
      const page: ProductPage = { items: items.map((product) => ({ ...product })) };
      if (last !== undefined && start + limit < ordered.length) page.next = { id: last.id };
      return page;
    },
    async get(id) {
      const product = products.get(id);
      return product && { ...product };
    },
    async put(product) {
      products.set(product.id, { ...product });
    },
    async delete(id) {
      return products.delete(id);
    },
  };
}

/** A store whose backing service is down: every call fails as the DynamoDB adapter reports it. */
export function unavailableProductStore(): ProductStore {
  const fail = async (): Promise<never> => {
    throw new StoreUnavailable('DynamoDB: ServiceUnavailable');
  };
  return { list: fail, get: fail, put: fail, delete: fail };
}
