import { describeReadmeExamples } from '../../../tools/readme-example.js';

describeReadmeExamples(new URL('..', import.meta.url), 3);
