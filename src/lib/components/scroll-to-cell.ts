/**
 * Brings a notebook cell's title to the top of the window and keeps it there while the cells above it
 * re-render for a new scenario: their figures grow a moment later, and the browser's scroll anchoring
 * does not make up for it (its anchor is the sliver of the cell above that stays in view, which does
 * not move when that cell grows below it). Stops after `settleMs`, or as soon as the person scrolls.
 */
const USER_SCROLL = ['wheel', 'touchstart', 'keydown', 'pointerdown'] as const;

export function scrollToCell(id: string, settleMs = 2000): void {
	const title = document.getElementById(`${id}-title`);
	if (!title) return;
	const align = () => title.scrollIntoView({ block: 'start' });
	align();
	const observer = new ResizeObserver(align);
	for (let el = title.closest('section')?.previousElementSibling; el; el = el.previousElementSibling) observer.observe(el);
	const stop = () => {
		observer.disconnect();
		clearTimeout(timer);
		for (const type of USER_SCROLL) removeEventListener(type, stop);
	};
	const timer = setTimeout(stop, settleMs);
	for (const type of USER_SCROLL) addEventListener(type, stop, { passive: true });
}
