/**
 * Prints the README's lesson list as markdown: `node --import tsx scripts/lessons.ts [base-url]`.
 * The default base is a relative link to the built page, so the hashes work wherever the site is served.
 */
import { lessonsMarkdown } from '../src/lib/core/lessons.ts';

const base = process.argv[2] ?? './';
console.log(await lessonsMarkdown(base));
