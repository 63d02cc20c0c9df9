import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Product } from '../../functions/products/product.js';
import type { ProductStore } from '../../functions/products/product-store.js';

const product = (name: string, extra: Partial<Product> = {}): Product => ({ id: randomUUID(), name, price: 10, ...extra });

/** What every ProductStore must do; run against DynamoDB (dynalite) and the in-memory fake alike. */
export function describeProductStoreContract(label: string, freshStore: () => Promise<ProductStore>): void {
  describe(`${label}: ProductStore contract`, () => {
    it('gets what it put, description included or absent', async () => {
      const store = await freshStore();
      const plain = product('Kettle');
      const described = product('Scale', { price: 0, description: 'Weighs to 0.1 g' });
      await store.put(plain);
      await store.put(described);
      expect(await store.get(plain.id)).toEqual(plain);
      expect(await store.get(described.id)).toEqual(described);
    });

    it('answers undefined for an id it does not hold', async () => {
      const store = await freshStore();
      expect(await store.get(randomUUID())).toBeUndefined();
    });

    it('replaces a product put again under the same id', async () => {
      const store = await freshStore();
      const first = product('Cup');
      await store.put(first);
      await store.put({ ...first, price: 12.5 });
      expect(await store.get(first.id)).toEqual({ ...first, price: 12.5 });
    });

    it('deletes a product it holds (true) and reports one it does not (false)', async () => {
      const store = await freshStore();
      const doomed = product('Filter');
      await store.put(doomed);
      expect(await store.delete(doomed.id)).toBe(true);
      expect(await store.get(doomed.id)).toBeUndefined();
      expect(await store.delete(doomed.id)).toBe(false);
    });

    it('lists nothing, without a cursor, when empty', async () => {
      const store = await freshStore();
      expect(await store.list(10)).toEqual({ items: [] });
    });

    it('pages through every product exactly once, whatever the page size', async () => {
      const store = await freshStore();
      const all = Array.from({ length: 7 }, (_, index) => product(`Item ${index}`));
      await Promise.all(all.map((item) => store.put(item)));
      for (const limit of [1, 3, 7, 100]) {
        const seen: Product[] = [];
        let page = await store.list(limit);
        for (let pages = 1; ; pages++) {
          expect(page.items.length).toBeLessThanOrEqual(limit);
          seen.push(...page.items);
          if (page.next === undefined) break;
          expect(pages).toBeLessThan(20);
          page = await store.list(limit, page.next);
        }
        expect(seen.map((item) => item.id).sort()).toEqual(all.map((item) => item.id).sort());
        expect(seen).toEqual(expect.arrayContaining(all));
      }
    });
  });
}
