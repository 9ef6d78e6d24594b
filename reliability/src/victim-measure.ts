export type { SelfMeasure as VictimMeasure } from './child.js';
