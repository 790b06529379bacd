package store

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// TestEveryRowsLoopChecksErr reads every Go file of the module and fails for a loop
// `for x.Next()` whose function never asks x.Err() (or hands x to closeRows, which does).
// A loop that checks only Close returns a short list as if it were whole when Next fails.
func TestEveryRowsLoopChecksErr(t *testing.T) {
	root := filepath.Join("..", "..")
	fset := token.NewFileSet()
	loops := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "node_modules" || name == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_templ.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		for _, fn := range funcs(f) {
			body := fn.body
			for _, name := range rowsLoops(body) {
				if typ, ok := fn.params[name]; ok && typ != "*sql.Rows" {
					continue // testing.PB and other iterators that are not rows
				}
				loops++
				if !checksErr(body, name) {
					t.Errorf("%s: a loop over %s.Next() never checks %s.Err() (or closeRows(%s))",
						fset.Position(body.Pos()), name, name, name)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if loops < 16 {
		t.Fatalf("found %d loops over Next(), want at least 16: is the walk reading the module?", loops)
	}
}

type funcInfo struct {
	body   *ast.BlockStmt
	params map[string]string // parameter name → its type as written
}

// funcs returns every function and function literal in f that has a body.
func funcs(f *ast.File) []funcInfo {
	var out []funcInfo
	add := func(typ *ast.FuncType, body *ast.BlockStmt) {
		if body == nil {
			return
		}
		params := map[string]string{}
		for _, p := range typ.Params.List {
			for _, n := range p.Names {
				params[n.Name] = typeString(p.Type)
			}
		}
		out = append(out, funcInfo{body, params})
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch fn := n.(type) {
		case *ast.FuncDecl:
			add(fn.Type, fn.Body)
		case *ast.FuncLit:
			add(fn.Type, fn.Body)
		}
		return true
	})
	return out
}

// typeString spells a parameter's type well enough to tell *sql.Rows from the rest.
func typeString(e ast.Expr) string {
	if star, ok := e.(*ast.StarExpr); ok {
		return "*" + exprName(star.X)
	}
	return exprName(e)
}

// rowsLoops names each x in a `for x.Next()` directly inside body (not in nested function
// literals, which are checked on their own).
func rowsLoops(body *ast.BlockStmt) []string {
	var out []string
	ast.Inspect(body, func(n ast.Node) bool {
		switch s := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ForStmt:
			if name, ok := methodCall(s.Cond, "Next"); ok {
				out = append(out, name)
			}
		}
		return true
	})
	return out
}

// checksErr reports whether body calls name.Err() or closeRows(name).
func checksErr(body *ast.BlockStmt, name string) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		if recv, ok := methodCall(n, "Err"); ok && recv == name {
			found = true
		}
		if c, ok := n.(*ast.CallExpr); ok {
			if id, ok := c.Fun.(*ast.Ident); ok && id.Name == "closeRows" && len(c.Args) == 1 && exprName(c.Args[0]) == name {
				found = true
			}
		}
		return !found
	})
	return found
}

// methodCall reports whether n is a call x.method() with no arguments, and names x.
func methodCall(n ast.Node, method string) (string, bool) {
	c, ok := n.(*ast.CallExpr)
	if !ok || len(c.Args) != 0 {
		return "", false
	}
	sel, ok := c.Fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != method {
		return "", false
	}
	name := exprName(sel.X)
	return name, name != ""
}

// exprName spells an identifier or a selector chain (a.b.c), or returns "".
func exprName(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.Ident:
		return x.Name
	case *ast.SelectorExpr:
		if p := exprName(x.X); p != "" {
			return p + "." + x.Sel.Name
		}
	}
	return ""
}
