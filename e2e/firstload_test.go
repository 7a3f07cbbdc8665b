//go:build !(js && wasm)

package e2e

import (
	"context"
	"regexp"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"
)

// TestColdLoadIsCompressedAndShowsProgress loads the workbench in a fresh profile over a slow
// link: while app.wasm downloads the page shows a bar and the megabytes so far (not a blank page),
// and what crossed the network is the compressed wasm.
func TestColdLoadIsCompressedAndShowsProgress(t *testing.T) {
	ctx := browser(t)
	do(t, ctx, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulateNetwork, emulateNetworkParams{DownloadThroughput: 2e6, UploadThroughput: -1})
		return err
	}))
	do(t, ctx, chromedp.Navigate(siteURL+"/"))
	waitJS(t, ctx, "the loading bar part way", `(() => {
		const bar = document.getElementById("app-wasm-loader-bar");
		return !!bar && bar.value > 0 && bar.value < 100;
	})()`)
	words := text(t, ctx, "app-wasm-loader-bytes")
	if !regexp.MustCompile(`^Loading the workbench: \d+\.\d of \d+\.\d MB \(\d+%\)$`).MatchString(words) {
		t.Errorf("the loading screen says %q", words)
	}
	screenshot(t, ctx, "loading")
	waitJS(t, ctx, "app ready", `document.body && document.body.dataset.appReady === "1"`)
	sizes := eval[[]float64](t, ctx, `(() => {
		const e = performance.getEntriesByType("resource").find(e => /\/web\/app-[0-9a-f]{12}\.wasm$/.test(new URL(e.name).pathname));
		return e ? [e.encodedBodySize, e.decodedBodySize] : [];
	})()`)
	if len(sizes) != 2 {
		t.Fatal("the page did not load a content-hashed app.wasm")
	}
	if sizes[0] <= 0 || sizes[0] > sizes[1]/3 {
		t.Errorf("app.wasm crossed the network as %.0f bytes for %.0f decoded: not compressed", sizes[0], sizes[1])
	}
	t.Logf("app.wasm: %.2f MB over the network, %.2f MB decoded", sizes[0]/1e6, sizes[1]/1e6)
}

// emulateNetwork is Network.emulateNetworkConditions, which Chromium 148 still accepts; the
// by-rule command that cdproto offers instead is refused by it ("Invalid parameters").
var emulateNetwork = cdp.Command[emulateNetworkParams, cdp.Empty]{Method: "Network.emulateNetworkConditions"}

// emulateNetworkParams are emulateNetwork's parameters (bytes per second; -1 is unthrottled).
type emulateNetworkParams struct {
	Offline            bool    `json:"offline"`
	Latency            float64 `json:"latency"`
	DownloadThroughput float64 `json:"downloadThroughput"`
	UploadThroughput   float64 `json:"uploadThroughput"`
}
