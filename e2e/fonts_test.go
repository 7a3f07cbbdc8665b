//go:build !(js && wasm)

package e2e

import (
	"context"
	"testing"
)

// fontsWarmed fails the test when the view on screen shows text in a font (family, size, weight,
// style) that the page's invisible warm-up block (app/fontwarm.go) does not prepare at load. Such
// text costs a wait on the browser process the first time it is laid out: up to two seconds while
// the module is still being optimised.
func fontsWarmed(t testing.TB, ctx context.Context, view string) {
	t.Helper()
	missing := eval[[]string](t, ctx, `(() => {
		const key = e => { const cs = getComputedStyle(e); return cs.fontFamily + " " + cs.fontSize + " " + cs.fontWeight + " " + cs.fontStyle; };
		const warm = new Set([...document.querySelectorAll(".font-warmup span, .font-warmup text")].map(key));
		if (warm.size === 0) return ["no warm-up block on the page"];
		const missing = new Map();
		for (const e of document.querySelectorAll("body *")) {
			if (e.closest(".font-warmup") || ["TITLE", "title", "OPTION", "SCRIPT", "STYLE"].includes(e.tagName)) continue;
			if (![...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()) || !e.getClientRects().length) continue;
			const k = key(e);
			if (!warm.has(k) && !missing.has(k)) missing.set(k, e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className && typeof e.className === "string" ? "." + e.className.split(" ").join(".") : ""));
		}
		return [...missing].map(([k, where]) => k + " (first at " + where + ")");
	})()`)
	for _, m := range missing {
		t.Errorf("%s: text in a font the page does not prepare at load: %s", view, m)
	}
}
