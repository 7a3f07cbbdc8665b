//go:build !(js && wasm)

package e2e

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// workerdVersion is the workerd release the smoke test installs from npm.
const workerdVersion = "1.20261117.1"

// TestWorkerUnderWorkerd builds the proxy as a Cloudflare Worker (make worker), runs it in
// workerd (Cloudflare's runtime, from npm) and sends requests through it to a fake upstream. It is
// skipped when workerd cannot be installed here.
func TestWorkerUnderWorkerd(t *testing.T) {
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dir := filepath.Join(cache, "hyperagents-workerd-"+workerdVersion)
	bin := filepath.Join(dir, "node_modules", ".bin", "workerd")
	if _, err := os.Stat(bin); err != nil {
		os.MkdirAll(dir, 0o755)
		install := exec.Command("npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", dir, "workerd@"+workerdVersion)
		if out, err := install.CombinedOutput(); err != nil {
			t.Fatalf("workerd could not be installed from npm (CI installs npm; this test never skips): %v\n%s", err, out)
		}
	}
	build := exec.Command("make", "-s", "worker")
	build.Dir = ".."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("make worker: %v\n%s", err, out)
	}

	var auth, maxTokens string
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body) // the Worker may send it chunked
		auth = r.Header.Get("Authorization")
		if i := strings.Index(string(body), `"max_tokens":`); i >= 0 {
			maxTokens = strings.SplitN(string(body[i+13:]), ",", 2)[0]
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"choices":[{"message":{"role":"assistant","content":"ok"}}],"usage":{"prompt_tokens":1,"completion_tokens":1}}`)
	}))
	defer up.Close()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	work := t.TempDir()
	for _, f := range []string{"worker.mjs", "runtime.mjs", "wasm_exec.js", "app.wasm"} {
		b, err := os.ReadFile(filepath.Join("..", "worker", "build", f))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(work, f), b, 0o644)
	}
	config := fmt.Sprintf(`using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .proxyWorker), (name = "internet", network = (allow = ["public", "private", "local"])) ],
  sockets = [ (name = "http", address = %q, http = (), service = "main") ],
);
const proxyWorker :Workerd.Worker = (
  modules = [
    (name = "worker.mjs", esModule = embed %q),
    (name = "runtime.mjs", esModule = embed %q),
    (name = "wasm_exec.js", esModule = embed %q),
    (name = "app.wasm", wasm = embed %q),
  ],
  compatibilityDate = "2025-01-01",
  compatibilityFlags = ["nodejs_compat"],
  bindings = [
    (name = "OPENAI_API_KEY", text = "sk-workerd-SECRET"),
    (name = "OPENAI_BASE_URL", text = %q),
    (name = "PROXY_ORIGINS", text = "http://localhost:8080"),
    (name = "PROXY_MODELS", text = "gpt-4o-mini"),
  ],
  globalOutbound = "internet",
);
`, addr, "worker.mjs", "runtime.mjs", "wasm_exec.js", "app.wasm", up.URL)
	cfgFile := filepath.Join(work, "config.capnp")
	os.WriteFile(cfgFile, []byte(config), 0o644)
	wd := exec.Command(bin, "serve", cfgFile)
	wd.Dir = work
	logs := &strings.Builder{}
	wd.Stdout, wd.Stderr = logs, logs
	if err := wd.Start(); err != nil {
		t.Fatalf("workerd does not run: %v", err)
	}
	defer func() { wd.Process.Kill(); wd.Wait() }()

	base := "http://" + addr
	var health string
	for i := 0; i < 100; i++ {
		if res, err := http.Get(base + "/healthz"); err == nil {
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			health = string(b)
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if !strings.Contains(health, `"key_configured":true`) {
		wd.Process.Kill()
		wd.Wait()
		t.Fatalf("healthz through workerd: %q\n%s", health, logs.String())
	}
	post := func(origin, body string) (int, string) {
		req, _ := http.NewRequest("POST", base+"/v1/chat/completions", strings.NewReader(body))
		req.Header.Set("Origin", origin)
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		return res.StatusCode, string(b)
	}
	status, body := post("http://localhost:8080", `{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"max_tokens":99999}`)
	if status != 200 || !strings.Contains(body, "choices") || auth != "Bearer sk-workerd-SECRET" || maxTokens != "1024" {
		t.Errorf("through workerd: %d %s (upstream saw auth %q, max_tokens %s)\n%s", status, body, auth, maxTokens, logs)
	}
	status, body = post("https://evil.example", `{}`)
	if status != 403 || !strings.Contains(body, "origin_not_allowed") || strings.Contains(body, "SECRET") {
		t.Errorf("foreign origin through workerd: %d %s", status, body)
	}
	if strings.Contains(logs.String(), "SECRET") {
		t.Errorf("workerd's log shows the key:\n%s", logs)
	}
}
