/**
 * Exports: a chart's SVG as an .svg file or a .png (drawn through a canvas), and figures as CSV or
 * JSON. Downloads go through a Blob URL that is revoked right after the click.
 */

/** Saves `blob` as `fileName` through a temporary link. */
export function downloadBlob(blob: Blob, fileName: string): void {
	const url = URL.createObjectURL(blob);
	const a = document.createElement('a');
	a.href = url;
	a.download = fileName;
	document.body.append(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * The SVG element as standalone markup: namespaced, sized, with the page's CSS variables resolved into
 * the fills so the file looks the same outside the page.
 */
export function serializeSvg(svg: SVGSVGElement): string {
	const clone = svg.cloneNode(true) as SVGSVGElement;
	clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
	const box = svg.viewBox.baseVal;
	if (box && box.width > 0) {
		clone.setAttribute('width', String(box.width));
		clone.setAttribute('height', String(box.height));
	}
	// Computed styles carry the resolved colours (var(--…) means nothing in a file on its own).
	const source = [svg, ...svg.querySelectorAll('*')];
	const target = [clone, ...clone.querySelectorAll('*')];
	source.forEach((el, i) => {
		const cs = getComputedStyle(el);
		const t = target[i] as SVGElement;
		for (const prop of ['fill', 'stroke', 'stroke-width', 'stroke-dasharray', 'font-size', 'font-family', 'font-weight', 'opacity', 'text-anchor', 'dominant-baseline']) {
			const value = cs.getPropertyValue(prop);
			if (value) t.style.setProperty(prop, value);
		}
	});
	return new XMLSerializer().serializeToString(clone);
}

export function downloadSvg(svg: SVGSVGElement, baseName: string): void {
	downloadBlob(new Blob([serializeSvg(svg)], { type: 'image/svg+xml' }), `${baseName}.svg`);
}

/** Draws the SVG onto a canvas at `scale` × its size (white background) and saves a PNG. */
export async function downloadPng(svg: SVGSVGElement, baseName: string, scale = 2): Promise<void> {
	const markup = serializeSvg(svg);
	const box = svg.viewBox.baseVal;
	const width = box?.width || svg.clientWidth;
	const height = box?.height || svg.clientHeight;
	const url = URL.createObjectURL(new Blob([markup], { type: 'image/svg+xml' }));
	try {
		const img = new Image();
		img.src = url;
		await img.decode();
		const canvas = document.createElement('canvas');
		canvas.width = Math.round(width * scale);
		canvas.height = Math.round(height * scale);
		const ctx = canvas.getContext('2d');
		if (!ctx) throw new Error('this browser gave no 2D canvas to draw the PNG');
		ctx.fillStyle = '#ffffff';
		ctx.fillRect(0, 0, canvas.width, canvas.height);
		ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
		const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
		if (!blob) throw new Error('the canvas could not encode a PNG');
		downloadBlob(blob, `${baseName}.png`);
	} finally {
		URL.revokeObjectURL(url);
	}
}

/** RFC 4180 CSV: a header row and one row per record; fields with commas, quotes or newlines are quoted. */
export function toCsv(rows: readonly Record<string, string | number | null>[]): string {
	if (rows.length === 0) return '';
	const header = Object.keys(rows[0]);
	const cell = (v: string | number | null) => {
		const s = v === null ? '' : String(v);
		return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
	};
	return [header.join(','), ...rows.map((r) => header.map((h) => cell(r[h] ?? null)).join(','))].join('\r\n') + '\r\n';
}

export function downloadCsv(rows: readonly Record<string, string | number | null>[], baseName: string): void {
	downloadBlob(new Blob([toCsv(rows)], { type: 'text/csv' }), `${baseName}.csv`);
}

export function downloadJson(value: unknown, baseName: string): void {
	downloadBlob(new Blob([JSON.stringify(value, null, 2)], { type: 'application/json' }), `${baseName}.json`);
}
