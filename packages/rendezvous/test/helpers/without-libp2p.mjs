// `node --import ./without-libp2p.mjs …` (or tsx): runs a program as if the libp2p stack were not installed.
import { register } from 'node:module';

register('./without-libp2p-hooks.mjs', import.meta.url);
