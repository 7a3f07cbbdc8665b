package ui

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Glue to the browser's storage (web/storage.js). Every call that awaits a promise must run on a
// goroutine of its own (ctx.Async), never inside a JavaScript callback.

// storageKey is where the workbench's database lives in IndexedDB.
const storageKey = "workbench.sqlite"

// errQuota is a save refused because the browser's storage quota is exhausted.
var errQuota = errors.New("the browser's storage is full")

// errSuperseded is a save dropped because a newer one, made as the page was hidden or left,
// was asked for first.
var errSuperseded = errors.New("a newer save was made first")

// jsError turns a rejected promise's reason into an error.
func jsError(v app.Value) error {
	if !v.Truthy() {
		return errors.New("unknown browser error")
	}
	name, msg := v.Get("name"), v.Get("message")
	if name.Truthy() && name.String() == "QuotaExceededError" {
		return errQuota
	}
	if msg.Truthy() {
		if name.Truthy() && name.String() != "Error" {
			return fmt.Errorf("%s: %s", name.String(), msg.String())
		}
		return errors.New(msg.String())
	}
	return errors.New(v.Call("toString").String())
}

// await waits for a promise and returns its value or its rejection.
func await(p app.Value) (app.Value, error) {
	type result struct {
		v   app.Value
		err error
	}
	ch := make(chan result, 1)
	then := app.FuncOf(func(_ app.Value, args []app.Value) any {
		var v app.Value = app.Undefined()
		if len(args) > 0 {
			v = args[0]
		}
		ch <- result{v: v}
		return nil
	})
	catch := app.FuncOf(func(_ app.Value, args []app.Value) any {
		var v app.Value = app.Undefined()
		if len(args) > 0 {
			v = args[0]
		}
		ch <- result{err: jsError(v)}
		return nil
	})
	p.Call("then", then, catch)
	r := <-ch
	then.Release()
	catch.Release()
	return r.v, r.err
}

// storage is the page's hyperagentsStorage object, or an error if storage.js did not load.
func storage() (app.Value, error) {
	s := app.Window().Get("hyperagentsStorage")
	if !s.Truthy() {
		return nil, errors.New("the storage script did not load")
	}
	return s, nil
}

// toBytes copies a Uint8Array into Go.
func toBytes(v app.Value) []byte {
	b := make([]byte, v.Get("length").Int())
	app.CopyBytesToGo(b, v)
	return b
}

// toJS copies bytes into a new Uint8Array.
func toJS(b []byte) app.Value {
	v := app.Window().Get("Uint8Array").New(len(b))
	app.CopyBytesToJS(v, b)
	return v
}

// storageGetParts reads the database saved under key, and whether it was saved in parts (so a
// later save may write only the parts that changed).
func storageGetParts(key string) ([]byte, bool, error) {
	s, err := storage()
	if err != nil {
		return nil, false, err
	}
	v, err := await(s.Call("get", key))
	if err != nil || !v.Truthy() {
		return nil, false, err
	}
	return toBytes(v), v.Get("parts").Truthy(), nil
}

// partSize is the size of the parts a database is saved in: a save writes only the parts that
// changed since the last one, so a few new iterations of a large database cost a few parts.
const partSize = 64 << 10

// changedParts lists the parts of data that differ from prev (all of them when prev is nil) as
// [index, Uint8Array, ...] for putParts, how many parts data has, and how many bytes the listed
// parts hold. Unless pause is nil it calls pause after every partsPerPause parts copied: copying a
// whole 6.4 MB database to JavaScript in one piece held a fresh page for 50–100 ms.
func changedParts(data, prev []byte, pause func()) (app.Value, int, int) {
	list := app.Window().Get("Array").New()
	count := (len(data) + partSize - 1) / partSize
	written, copied := 0, 0
	for i := range count {
		part := data[i*partSize : min((i+1)*partSize, len(data))]
		if prev != nil && i*partSize < len(prev) && bytes.Equal(part, prev[i*partSize:min((i+1)*partSize, len(prev))]) {
			continue
		}
		copied++
		if pause != nil && copied%partsPerPause == 0 {
			pause()
		}
		list.Call("push", i, toJS(part))
		written += len(part)
	}
	return list, count, written
}

// partsPerPause is how many parts changedParts copies to JavaScript between pauses (1 MiB).
const partsPerPause = 16

// storagePutParts saves data under key in parts, writing those that differ from prev (the bytes
// the last completed save left there; nil to write every part), handing the thread back to the
// browser while it copies them. gen is the save's generation: it is dropped, with errSuperseded,
// when a save of a later one (storagePutPartsNow) was asked for meanwhile. It returns how many
// bytes it wrote.
func storagePutParts(key string, data, prev []byte, gen int) (int, error) {
	s, err := storage()
	if err != nil {
		return 0, err
	}
	list, count, written := changedParts(data, prev, yieldToBrowser)
	v, err := await(s.Call("putParts", key, len(data), count, list, false, gen))
	if err == nil && !v.Bool() {
		return 0, errSuperseded
	}
	return written, err
}

// storagePutPartsNow starts saving data under key without waiting, as generation gen (later than
// any save still on its way): for a page being hidden or left. It writes the parts that differ
// from prev (what storage holds; nil when that is not known, to write every part), every one of
// them in this task. landed waits for the save and reports whether it reached storage; only a
// page that stays hears back.
func storagePutPartsNow(key string, data, prev []byte, gen int) (landed func() bool) {
	s, err := storage()
	if err != nil {
		return func() bool { return false }
	}
	list, count, _ := changedParts(data, prev, nil)
	done := s.Call("putParts", key, len(data), count, list, true, gen)
	return func() bool {
		v, err := await(done)
		return err == nil && v.Bool()
	}
}

// storagePut saves data under key.
func storagePut(key string, data []byte) error {
	s, err := storage()
	if err != nil {
		return err
	}
	_, err = await(s.Call("put", key, toJS(data)))
	return err
}

// requestPersistence asks the browser not to evict the workbench's storage.
func requestPersistence() bool {
	s, err := storage()
	if err != nil {
		return false
	}
	v, err := await(s.Call("persist"))
	return err == nil && v.Truthy()
}

// acquireWriteLock reports whether this tab holds the workbench's write lock (Web Locks API).
func acquireWriteLock() bool {
	s, err := storage()
	if err != nil {
		return true
	}
	v, err := await(s.Call("lock"))
	return err != nil || v.Truthy()
}

// readFile reads a File from a picker or a drop.
func readFile(f app.Value) ([]byte, error) {
	s, err := storage()
	if err != nil {
		return nil, err
	}
	v, err := await(s.Call("read", f))
	if err != nil {
		return nil, err
	}
	return toBytes(v), nil
}

// localGet and localSet use localStorage for small settings.
func localGet(key string) string {
	v := app.Window().Get("localStorage").Call("getItem", key)
	if !v.Truthy() {
		return ""
	}
	return v.String()
}

func localSet(key, value string) {
	app.Window().Get("localStorage").Call("setItem", key, value)
}

// postJSON POSTs a JSON body with fetch and returns the status and body of the response; err is
// set when the request could not be made at all (e.g. the server is unreachable).
func postJSON(url string, body []byte) (int, []byte, error) {
	init := app.Window().Get("Object").New()
	init.Set("method", "POST")
	headers := app.Window().Get("Object").New()
	headers.Set("Content-Type", "application/json")
	init.Set("headers", headers)
	init.Set("body", string(body))
	res, err := await(app.Window().Call("fetch", url, init))
	if err != nil {
		return 0, nil, err
	}
	text, err := await(res.Call("text"))
	if err != nil {
		return 0, nil, err
	}
	return res.Get("status").Int(), []byte(text.String()), nil
}

// getText GETs url with fetch and returns the status and body.
func getText(url, accept string) (int, string, error) {
	init := app.Window().Get("Object").New()
	headers := app.Window().Get("Object").New()
	headers.Set("Accept", accept)
	init.Set("headers", headers)
	res, err := await(app.Window().Call("fetch", url, init))
	if err != nil {
		return 0, "", err
	}
	text, err := await(res.Call("text"))
	if err != nil {
		return 0, "", err
	}
	return res.Get("status").Int(), text.String(), nil
}
