package ui

import (
	"fmt"
	"hyperagents/engine"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// percent formats an accuracy as the seed's UI does: Math.round(v·100) + "%".
func percent(v float64) string { return strconv.Itoa(int(v*100+0.5)) + "%" }

// statBox is one labelled figure.
func statBox(id, label, value string) app.UI {
	return app.Div().Class("stat").Body(app.Span().Class("label").Text(label), app.Span().Class("value").ID(id).Text(value))
}

// num3 formats a policy value with 3 decimals.
func num3(v float64) string { return strconv.FormatFloat(v, 'f', 3, 64) }

// signed formats a fitness delta with its sign.
func signed(v float64) string {
	if v == 0 {
		return "0"
	}
	return fmt.Sprintf("%+.3f", v)
}

// href turns an app path ("/archive?x=1") into a link that works wherever the site is served:
// at the root, or under a GitHub Pages sub-path (go-app's GOAPP_ROOT_PREFIX). Only the browser
// needs this: when go-app prerenders a page it prefixes every local href itself.
func href(path string) string {
	if !app.IsClient {
		return path
	}
	return rootPrefix() + path
}

// rootPrefix is GOAPP_ROOT_PREFIX without its trailing slash, read once: app.Getenv asks
// JavaScript every time, and views make hundreds of links per render.
var rootPrefix = sync.OnceValue(func() string { return strings.TrimRight(app.Getenv("GOAPP_ROOT_PREFIX"), "/") })

// agentHref links to an agent's detail view.
func agentHref(id string) string { return href(PathAgent + "?id=" + url.QueryEscape(id)) }

// agentLink is an agent id as a link to its detail view; the seed agent's missing parent is "—".
func agentLink(id string) app.UI {
	if id == "" {
		return app.Span().Class("muted").Text("—")
	}
	return app.A().Href(agentHref(id)).Text(id)
}

// flavourSelect is the flavour drop-down.
func flavourSelect(id, value string, codeReview bool, onChange app.EventHandler) app.UI {
	if !codeReview {
		return app.Select().ID(id).OnChange(onChange).Body(
			app.Option().Value("adaptive").Selected(true).Text("adaptive"),
		)
	}
	return app.Select().ID(id).OnChange(onChange).Body(
		app.Option().Value("standard").Selected(value == "standard").Text("standard (flaws fixed)"),
		app.Option().Value("seed").Selected(value == "seed").Text("seed (bit-exact)"),
	)
}

// pageSize is how many rows the long tables show per page.
const pageSize = 50

// pager renders "rows a–b of n" with previous/next links built by link(page).
func pager(id string, pg, n int, link func(page int) string) app.UI {
	pages := max(1, (n+pageSize-1)/pageSize)
	from, to := pg*pageSize+1, min(n, (pg+1)*pageSize)
	if n == 0 {
		from = 0
	}
	return app.Div().Class("pager").ID(id).Body(
		app.If(pg > 0, func() app.UI { return app.A().ID(id + "-prev").Href(link(pg - 1)).Text("← previous") }),
		app.Span().Class("muted").Text(fmt.Sprintf(" rows %d–%d of %d · page %d of %d ", from, to, n, pg+1, pages)),
		app.If(pg+1 < pages, func() app.UI { return app.A().ID(id + "-next").Href(link(pg + 1)).Text("next →") }),
	)
}

// queryPage reads the page query parameter (0-based), reporting a bad value in *msg.
func queryPage(q url.Values, n int, msg *[]string) int {
	s := q.Get("page")
	if s == "" {
		return 0
	}
	p, err := strconv.Atoi(s)
	pages := max(1, (n+pageSize-1)/pageSize)
	if err != nil || p < 1 || p > pages {
		*msg = append(*msg, fmt.Sprintf("Page %q does not exist (1 to %d); showing page 1.", s, pages))
		return 0
	}
	return p - 1
}

// notices renders messages about the URL's parameters.
func notices(msgs []string) app.UI {
	return app.Range(msgs).Slice(func(i int) app.UI {
		return app.P().Class("error notice").Text(msgs[i])
	})
}

// score formats a chance-corrected score (or the maze's fitness) with three decimals.
func score(v float64) string { return fmt.Sprintf("%.3f", v) }

// accuracy formats a run's accuracy: a percentage on code_review, a chance-corrected score on the
// adaptive domains.
func accuracy(v float64, f engine.Flavour) string {
	if f == engine.FlavourAdaptive {
		return score(v)
	}
	return percent(v)
}
