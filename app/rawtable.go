package ui

import (
	"html"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Long tables are written as one HTML string: go-app builds elements one JavaScript call at a
// time, which costs about 0.2 ms per element under WebAssembly, so a 100-row table took 200–450 ms;
// one innerHTML takes a few. go-app's document-wide click handler still routes their links.

// column is a header cell of a raw table; with href it is a link (e.g. to sort by it).
type column struct {
	label, id, href string
	num             bool
	help            string // the header's tooltip: what the column means
}

// cell is one table cell: text, optionally a link, a class on the cell, a tooltip, or a tag
// (a small label: the text inside <span class="tag tag-…">).
type cell struct {
	text, href, class, title, tag string
}

// row is one table row.
type row struct {
	id, class, title string
	cells            []cell
}

// rawTable renders a table with the given columns and rows as a single raw element.
func rawTable(id, class string, cols []column, rows []row) app.UI {
	var b strings.Builder
	b.Grow(128 * (len(rows) + 1) * len(cols))
	b.WriteString(`<table`)
	attr(&b, "id", id)
	attr(&b, "class", class)
	b.WriteString(`><thead><tr>`)
	for _, c := range cols {
		b.WriteString(`<th`)
		if c.num {
			attr(&b, "class", "num")
		}
		attr(&b, "scope", "col")
		attr(&b, "title", c.help)
		b.WriteString(`>`)
		if c.href != "" {
			b.WriteString(`<a`)
			attr(&b, "id", c.id)
			attr(&b, "href", c.href)
			b.WriteString(`>`)
			b.WriteString(html.EscapeString(c.label))
			b.WriteString(`</a>`)
		} else {
			b.WriteString(html.EscapeString(c.label))
		}
		b.WriteString(`</th>`)
	}
	b.WriteString(`</tr></thead><tbody>`)
	for _, r := range rows {
		b.WriteString(`<tr`)
		attr(&b, "id", r.id)
		attr(&b, "class", r.class)
		attr(&b, "title", r.title)
		b.WriteString(`>`)
		for i, c := range r.cells {
			b.WriteString(`<td`)
			cls := c.class
			if i < len(cols) && cols[i].num {
				cls = strings.TrimSpace("num " + cls)
			}
			attr(&b, "class", cls)
			attr(&b, "title", c.title)
			b.WriteString(`>`)
			switch {
			case c.href != "":
				b.WriteString(`<a`)
				attr(&b, "href", c.href)
				b.WriteString(`>`)
				b.WriteString(html.EscapeString(c.text))
				b.WriteString(`</a>`)
			case c.tag != "":
				b.WriteString(`<span`)
				attr(&b, "class", "tag tag-"+c.tag)
				b.WriteString(`>`)
				b.WriteString(html.EscapeString(c.text))
				b.WriteString(`</span>`)
			default:
				b.WriteString(html.EscapeString(c.text))
			}
			b.WriteString(`</td>`)
		}
		b.WriteString(`</tr>`)
	}
	b.WriteString(`</tbody></table>`)
	return app.Raw(b.String())
}

// attr writes ` name="value"` when value is not empty.
func attr(b *strings.Builder, name, value string) {
	if value == "" {
		return
	}
	b.WriteString(" ")
	b.WriteString(name)
	b.WriteString(`="`)
	b.WriteString(html.EscapeString(value))
	b.WriteString(`"`)
}

// agentCell is an agent id linking to its detail view; the seed's missing parent is "—".
func agentCell(id string) cell {
	if id == "" {
		return cell{text: "—", class: "muted"}
	}
	return cell{text: id, href: agentHref(id)}
}

// deltaClass colours a fitness delta: up, down or neither.
func deltaClass(d float64) string {
	switch {
	case d > 0:
		return "delta up"
	case d < 0:
		return "delta down"
	}
	return "delta"
}
