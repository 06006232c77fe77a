/** The scenario module's public API: the type and its schema, defaults, and the URL codec. */
export * from './schema.ts';
export { DEFAULT_SCENARIO, defaultBody, defaultScenario } from './defaults.ts';
export {
	decodeScenario,
	decodeScenarioSync,
	encodeScenario,
	encodeScenarioSync,
	HASH_PARAM,
	MAX_HASH_LENGTH,
	MAX_INFLATED_BYTES,
	type DecodedScenario
} from './codec.ts';
export { LINK_NOTICES, MAX_NOTICES } from './notices.ts';
export { migrate, MIGRATIONS, type Migration } from './migrations.ts';
