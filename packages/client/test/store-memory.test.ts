import { MemoryMessageStore } from '../src/store/index.js';
import { describeMessageStoreContract } from './helpers/store-contract.js';

describeMessageStoreContract('memory', (now) => {
  const store = new MemoryMessageStore({ now });
  return { store, close: () => store.close() };
});
