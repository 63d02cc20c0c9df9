import { inMemoryProductStore } from './in-memory-product-store.js';
import { describeProductStoreContract } from './product-store-contract.js';

// The fake the handler tests rely on behaves like the real adapter.
describeProductStoreContract('inMemoryProductStore', async () => inMemoryProductStore());
