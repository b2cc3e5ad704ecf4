"""Which files are source code: the lines the replacement-cost estimate counts.

COCOMO models the effort of writing programs, so the estimate counts only files in languages that
a language classifier such as GitHub's linguist gives the type *programming*; data (YAML, JSON,
TOML, CSV, SQL), markup (HTML, CSS, Vue, TeX) and prose (Markdown, reStructuredText, text) are
left out, and so is anything unknown. The table is this project's, written from linguist's types,
and read by the path alone (the numstat lines carry no content): a file's extension, compared
lower-cased, or its well-known name (Makefile, Dockerfile, Rakefile...). A script without an
extension that only its `#!` line would reveal is not counted.
"""

from __future__ import annotations

# Extension (lower-cased, with its dot) -> language, for languages of linguist's type programming.
SOURCE_EXTENSIONS: dict[str, str] = {
    **dict.fromkeys((".py", ".pyw", ".pyi", ".pyx"), "Python"),
    **dict.fromkeys((".js", ".mjs", ".cjs", ".jsx"), "JavaScript"),
    **dict.fromkeys((".ts", ".tsx", ".mts", ".cts"), "TypeScript"),
    **dict.fromkeys((".c", ".h"), "C"),
    **dict.fromkeys((".cpp", ".cc", ".cxx", ".c++", ".hpp", ".hh", ".hxx", ".h++", ".ino"), "C++"),
    **dict.fromkeys((".cs", ".csx"), "C#"),
    ".go": "Go",
    ".rs": "Rust",
    ".java": "Java",
    **dict.fromkeys((".kt", ".kts"), "Kotlin"),
    **dict.fromkeys((".scala", ".sc"), "Scala"),
    **dict.fromkeys((".groovy", ".gvy"), "Groovy"),
    **dict.fromkeys((".rb", ".rake", ".gemspec", ".ru"), "Ruby"),
    **dict.fromkeys((".php", ".phtml"), "PHP"),
    **dict.fromkeys((".pl", ".pm"), "Perl"),
    **dict.fromkeys((".raku", ".rakumod", ".p6", ".pm6"), "Raku"),
    **dict.fromkeys((".sh", ".bash", ".zsh", ".ksh", ".fish"), "Shell"),
    **dict.fromkeys((".ps1", ".psm1", ".psd1"), "PowerShell"),
    **dict.fromkeys((".bat", ".cmd"), "Batchfile"),
    ".swift": "Swift",
    **dict.fromkeys((".m", ".mm"), "Objective-C"),
    ".lua": "Lua",
    ".r": "R",
    ".jl": "Julia",
    **dict.fromkeys((".hs", ".lhs"), "Haskell"),
    **dict.fromkeys((".ml", ".mli"), "OCaml"),
    **dict.fromkeys((".fs", ".fsi", ".fsx"), "F#"),
    **dict.fromkeys((".ex", ".exs"), "Elixir"),
    **dict.fromkeys((".erl", ".hrl"), "Erlang"),
    **dict.fromkeys((".clj", ".cljs", ".cljc"), "Clojure"),
    **dict.fromkeys((".lisp", ".lsp"), "Common Lisp"),
    ".el": "Emacs Lisp",
    **dict.fromkeys((".scm", ".ss"), "Scheme"),
    ".rkt": "Racket",
    ".dart": "Dart",
    ".elm": "Elm",
    ".purs": "PureScript",
    ".nim": "Nim",
    ".zig": "Zig",
    ".d": "D",
    **dict.fromkeys((".f", ".for", ".f77", ".f90", ".f95", ".f03", ".f08"), "Fortran"),
    **dict.fromkeys((".cob", ".cbl"), "COBOL"),
    **dict.fromkeys((".pas", ".pp", ".dpr"), "Pascal"),
    **dict.fromkeys((".adb", ".ads"), "Ada"),
    **dict.fromkeys((".asm", ".s", ".nasm"), "Assembly"),
    **dict.fromkeys((".vhd", ".vhdl"), "VHDL"),
    **dict.fromkeys((".v", ".sv", ".svh"), "Verilog"),
    ".vim": "Vim Script",
    ".tcl": "Tcl",
    ".cr": "Crystal",
    ".sol": "Solidity",
    ".coffee": "CoffeeScript",
    **dict.fromkeys((".mk", ".mak"), "Makefile"),
    ".dockerfile": "Dockerfile",
    ".cmake": "CMake",
    ".nix": "Nix",
    **dict.fromkeys((".hcl", ".tf"), "HCL"),
    **dict.fromkeys((".bzl", ".star"), "Starlark"),
    **dict.fromkeys((".jsonnet", ".libsonnet"), "Jsonnet"),
    ".awk": "Awk",
    ".st": "Smalltalk",
    **dict.fromkeys((".glsl", ".vert", ".frag"), "GLSL"),
    ".hlsl": "HLSL",
    **dict.fromkeys((".cu", ".cuh"), "Cuda"),
    ".pde": "Processing",
    ".hx": "Haxe",
    ".idr": "Idris",
    ".agda": "Agda",
    ".lean": "Lean",
    ".sml": "Standard ML",
    ".re": "Reason",
    ".res": "ReScript",
    ".gleam": "Gleam",
    ".odin": "Odin",
    ".vala": "Vala",
    ".vb": "Visual Basic .NET",
    ".bas": "VBA",
    ".applescript": "AppleScript",
    ".ahk": "AutoHotkey",
    ".pls": "PLSQL",
    ".plpgsql": "PLpgSQL",
    ".dhall": "Dhall",
    ".wat": "WebAssembly",
}

# Whole file names (lower-cased) of programming-language files without a telling extension.
SOURCE_NAMES: dict[str, str] = {
    **dict.fromkeys(("makefile", "gnumakefile"), "Makefile"),
    **dict.fromkeys(("dockerfile", "containerfile"), "Dockerfile"),
    **dict.fromkeys(("rakefile", "gemfile", "vagrantfile", "podfile", "guardfile", "brewfile"), "Ruby"),
    "jenkinsfile": "Groovy",
    "cmakelists.txt": "CMake",
    **dict.fromkeys(("build", "build.bazel", "workspace", "workspace.bazel"), "Starlark"),
    **dict.fromkeys(("meson.build", "meson_options.txt"), "Meson"),
    "justfile": "Just",
    **dict.fromkeys(("pkgbuild", ".bashrc", ".bash_profile", ".zshrc", ".profile"), "Shell"),
    **dict.fromkeys(("sconstruct", "sconscript", "snakefile", "wscript"), "Python"),
    "cakefile": "CoffeeScript",
}


def source_language(path: str) -> str | None:
    """The programming language of a file, from its path; None when it is not source code (data,
    markup, prose, or not in the table)."""
    name = path.rsplit("/", 1)[-1].lower()
    found = SOURCE_NAMES.get(name)
    if found:
        return found
    dot = name.rfind(".")
    if dot <= 0:  # no extension, or a dot file such as `.gitignore`
        return None
    return SOURCE_EXTENSIONS.get(name[dot:])


def is_source_code(path: str) -> bool:
    """Whether a file counts in the replacement-cost estimate (see the module's doc)."""
    return source_language(path) is not None
