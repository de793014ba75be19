module agent-sandbox-vscode/helper/session

go 1.22
