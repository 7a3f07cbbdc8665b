package ui

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// blobURL makes an object URL holding data, for a download link (<a download href=…>). It returns
// "" outside the browser. Revoke it with revokeURL when it is replaced.
func blobURL(data []byte, mime string) string {
	if !app.IsClient {
		return ""
	}
	w := app.Window()
	buf := w.Get("Uint8Array").New(len(data))
	app.CopyBytesToJS(buf, data)
	parts := w.Get("Array").New()
	parts.Call("push", buf)
	opts := w.Get("Object").New()
	opts.Set("type", mime)
	blob := w.Get("Blob").New(parts, opts)
	return w.Get("URL").Call("createObjectURL", blob).String()
}

// revokeURL frees an object URL made by blobURL.
func revokeURL(u string) {
	if app.IsClient && u != "" {
		app.Window().Get("URL").Call("revokeObjectURL", u)
	}
}

// downloadBytes offers data as a file download, as a click on a download link does.
func downloadBytes(name string, data []byte, mime string) {
	if !app.IsClient {
		return
	}
	u := blobURL(data, mime)
	doc := app.Window().Get("document")
	a := doc.Call("createElement", "a")
	a.Set("href", u)
	a.Set("download", name)
	doc.Get("body").Call("appendChild", a)
	a.Call("click")
	a.Call("remove")
	// The browser has taken the URL once the click is handled; free it a little later.
	var free app.Func
	free = app.FuncOf(func(app.Value, []app.Value) any {
		revokeURL(u)
		free.Release()
		return nil
	})
	app.Window().Call("setTimeout", free, 60000)
}
