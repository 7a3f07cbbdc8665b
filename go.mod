module hyperagents

go 1.26
