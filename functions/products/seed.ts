import type { Product } from './product.js';
import type { ProductStore } from './product-store.js';

/** A few products so a fresh local stack has something to list. Fixed ids: seeding twice changes nothing. */
export const SEED_PRODUCTS: readonly Product[] = [
  {
    id: '3f1c9a52-7d4e-4b8a-9c61-2e5d8f0a1b34',
    name: 'Espresso beans, 1 kg',
    price: 24.9,
    description: 'Dark roast, arabica and robusta blend.',
  },
  { id: '8b2e4d17-5a3c-4f90-8e12-6c7a9b0d3e58', name: 'Burr grinder', price: 149 },
  {
    id: 'c6d0f2a9-1e8b-4c37-a5d4-9f3e7b2c8a01',
    name: 'Milk jug, 600 ml',
    price: 18.5,
    description: 'Stainless steel, with a pouring spout for latte art.',
  },
  { id: 'e4a7b3c1-9d2f-4e65-b8a0-1c5d7e9f2a46', name: 'Descaling tablets (10)', price: 9.99 },
];

/** Puts every seed product (replacing any with the same id). */
export async function seedProducts(store: ProductStore): Promise<void> {
  await Promise.all(SEED_PRODUCTS.map((product) => store.put({ ...product })));
}
