/**
 * Ready lesson links: scenarios that each focus on one concept, with the controls that would distract from
 * it hidden (the teaching flag, `hide`). The page lists them in its "Lessons" section and the README lists
 * their links (`node --import tsx scripts/lessons.ts` prints that markdown).
 *
 * A lesson names cells and controls that may land later; unknown ids are harmless (nothing to open or hide).
 */
import { encodeScenario } from './scenario/codec.ts';
import { defaultScenario } from './scenario/defaults.ts';
import type { Scenario, ScenarioBody } from './scenario/schema.ts';

/** Ids of the page's controls that `hide` can name. Cells add theirs here as they land. */
export const CONTROL_IDS = {
	modelPicker: 'model-picker',
	fileOpen: 'file-open',
	dims: 'dims',
	run: 'run',
	shareLink: 'share-link'
} as const;

export interface Lesson {
	id: string;
	title: string;
	/** One sentence: what the lesson shows. */
	summary: string;
	scenario: Scenario;
}

const bodyOf = (s: Scenario): ScenarioBody => {
	const { v: _v, baseline: _b, ...body } = structuredClone(s);
	return body;
};

function lesson(id: string, title: string, summary: string, edit: (s: Scenario) => void): Lesson {
	const scenario = defaultScenario();
	edit(scenario);
	return { id, title, summary, scenario };
}

const { modelPicker, fileOpen, run } = CONTROL_IDS;

export const LESSONS: readonly Lesson[] = [
	lesson(
		'per-channel-int8',
		'Per-channel vs per-tensor int8',
		'The same int8 weights with one scale per tensor (pinned baseline) and one scale per output channel: equal size, very different error.',
		(s) => {
			s.model = { kind: 'zoo', id: 'ppocr-mobile-v2-cls' };
			s.transforms.quantize = 'int8-weight';
			s.transforms.perChannel = false;
			s.baseline = bodyOf(s);
			s.transforms.perChannel = true;
			s.cells = ['model', 'quantization'];
			s.hide = [modelPicker, fileOpen, run];
		}
	),
	lesson(
		'arena-reuse',
		'Why the arena is smaller than the sum of tensors',
		'Giving every activation its own bytes (pinned baseline) against a planner that reuses memory once a tensor dies.',
		(s) => {
			s.model = { kind: 'zoo', id: 'ppocr-v4-det' };
			s.planner = 'naive';
			s.baseline = bodyOf(s);
			s.planner = 'greedy-size';
			s.cells = ['model', 'arena'];
			s.hide = [fileOpen, run];
		}
	),
	lesson(
		'ocr-on-esp32-s3',
		'Does OCR fit on an ESP32-S3?',
		'Detection, direction classifier and recognition in one pipeline against the ESP32-S3’s SRAM and PSRAM.',
		(s) => {
			s.model = { kind: 'zoo', id: 'ppocr-v4-rec' };
			s.device = { profile: 'esp32-s3', edits: {} };
			s.workload.kind = 'pipeline';
			s.workload.models = ['ppocr-v4-det', 'ppocr-mobile-v2-cls', 'ppocr-v4-rec'];
			s.transforms.quantize = 'int8-weight';
			s.transforms.perChannel = true;
			s.cells = ['model', 'device', 'workloads'];
			s.hide = [fileOpen];
		}
	),
	lesson(
		'interleaved-loading',
		'Interleaved loading',
		'Streaming weights from flash one layer ahead of the compute instead of loading the whole model first (pinned baseline).',
		(s) => {
			s.model = { kind: 'zoo', id: 'ppocr-v4-rec' };
			s.device = { profile: 'esp32-s3', edits: {} };
			s.policy = { kind: 'bulk', lookahead: 1, budgetBytes: null };
			s.baseline = bodyOf(s);
			s.policy.kind = 'interleaved';
			s.cells = ['model', 'loading'];
			s.hide = [modelPicker, fileOpen, run];
		}
	)
];

/** The URL hash (`#s=<version>.…`) of a lesson. */
export function lessonHash(lesson: Lesson): Promise<string> {
	return encodeScenario(lesson.scenario);
}

/** Markdown list of the lessons, each linking to `baseUrl` + its hash (for the README). */
export async function lessonsMarkdown(baseUrl: string): Promise<string> {
	const lines: string[] = [];
	for (const l of LESSONS) lines.push(`- [${l.title}](${baseUrl}${await lessonHash(l)}) — ${l.summary}`);
	return lines.join('\n');
}
