package ui

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// Paths of the workbench's views. Views that show one thing take it from the query string
// (/agent?id=agent-012), so every view is a single static page GitHub Pages can serve.
const (
	PathOverview    = "/"
	PathArchive     = "/archive"
	PathAgent       = "/agent"
	PathEvents      = "/events"
	PathExperiments = "/experiments"
	PathReview      = "/review"
	PathRuns        = "/runs"
	PathTransfer    = "/transfer"
	PathLineage     = "/lineage"
)

// Pages lists every routed path, for the static site generator.
var Pages = []string{PathOverview, PathArchive, PathAgent, PathEvents, PathExperiments, PathTransfer, PathLineage, PathReview, PathRuns}

// Routes registers every view with go-app over one shared session, and last a catch-all for the
// not-found view (go-app v10 ignores app.NotFound in the browser).
func Routes(s *Session) {
	app.Route(PathOverview, func() app.Composer { return &Overview{s: s, hover: -1} })
	app.Route(PathArchive, func() app.Composer { return &ArchiveView{s: s} })
	app.Route(PathAgent, func() app.Composer { return &AgentView{s: s} })
	app.Route(PathEvents, func() app.Composer { return &EventsView{s: s} })
	app.Route(PathExperiments, func() app.Composer { return &ExperimentsView{s: s} })
	app.Route(PathReview, func() app.Composer { return &ReviewView{s: s} })
	app.Route(PathRuns, func() app.Composer { return &RunsView{s: s} })
	app.Route(PathTransfer, func() app.Composer { return &TransferView{s: s} })
	app.Route(PathLineage, func() app.Composer { return &LineageView{s: s} })
	app.RouteWithRegexp(".*", app.NewZeroComponentFactory(&NotFound{}))
}
