package engine

import "strconv"

// Agent is a hyperagent: one editable record holding a task policy and the meta policy that makes
// its children, with its place in the lineage. Agents are values; the engine never changes one after
// it is archived.
type Agent struct {
	ID         string     `json:"id"`
	ParentID   string     `json:"parent_id"` // "" for the seed agent
	Generation int        `json:"generation"`
	Task       TaskPolicy `json:"task_policy"`
	Meta       MetaPolicy `json:"meta_policy"`
	Lineage    []string   `json:"lineage_notes"`
}

// AgentID formats the n-th agent id of a run as the seed does: "agent-000", …, "agent-1000".
func AgentID(n int) string {
	b := make([]byte, 0, 16)
	b = append(b, "agent-"...)
	if n >= 0 && n < 100 {
		b = append(b, '0')
		if n < 10 {
			b = append(b, '0')
		}
	}
	return string(strconv.AppendInt(b, int64(n), 10))
}

// Entry is one archived agent with its evaluation, the iteration that created it (0 for the seed)
// and where its mutation came from ("seed", "heuristic" or "llm").
type Entry struct {
	Agent   Agent      `json:"agent"`
	Eval    Evaluation `json:"evaluation"`
	Created int        `json:"created_iteration"`
	Source  string     `json:"mutation_source"`
}

// Mutation sources recorded in entries and progress rows.
const (
	SourceSeed      = "seed"
	SourceHeuristic = "heuristic"
	SourceLLM       = "llm"
)
