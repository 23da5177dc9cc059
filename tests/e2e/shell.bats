#!/usr/bin/env bats
# What ships next to the binary: the bash completion and the man pages,
# checked against the options nsu --help lists.

load helpers

BASH_COMPLETION=/usr/share/bash-completion/bash_completion
NSU_BUILDDIR=${NSU_BUILD_BIN%/src/nsu}

# need_file FILE WHAT: skip when FILE is missing; under CI=true, fail.
need_file() {
	[ -e "$1" ] && return 0
	if [ "${CI:-}" = true ]; then
		flunk "$2 ($1) is missing (CI=true: a missing file fails the test)"
		return 1
	fi
	skip "$2 ($1) is missing"
}

# built FILE: the path of FILE in the build tree, else in the source tree.
built() {
	if [ -e "$NSU_BUILDDIR/$1" ]; then
		echo "$NSU_BUILDDIR/$1"
	else
		echo "$NSU_SRCDIR/$1"
	fi
}

# long_options: the long options nsu --help lists, one per line.
long_options() {
	"$NSU" --help | grep -o -- '--[a-z][a-z-]*' | LC_ALL=C sort -u
}

# completions WORD...: what bash completion offers for the command line
# "WORD...", completing its last word (give "" to complete a new word), one
# candidate per line, sorted.
completions() {
	bash --norc --noprofile -c '
		source "$1" || exit 1
		source "$2" || exit 1
		shift 2
		# Outside a real completion, compopt refuses to run.
		compopt() { :; }
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"
		COMP_POINT=${#COMP_LINE}
		COMPREPLY=()
		_nsu "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
		printf "%s\n" "${COMPREPLY[@]}"' - "$BASH_COMPLETION" "$NSU_SRCDIR/completions/nsu.bash" "$@" |
		LC_ALL=C sort -u
}

# render PAGE: the man page PAGE as plain ASCII text, one line per paragraph.
render() {
	LC_ALL=C MANWIDTH=2000 MANPAGER=cat man --no-hyphenation --no-justification -l "$1" | col -bx
}

# --- bash completion ---------------------------------------------------------------

@test "bash completion: nsu is completed by _nsu" {
	need_file "$BASH_COMPLETION" "bash-completion"
	run --separate-stderr bash --norc --noprofile -c 'source "$1"; source "$2"; complete -p nsu' - \
		"$BASH_COMPLETION" "$NSU_SRCDIR/completions/nsu.bash"
	assert_status 0
	assert_eq "$output" "complete -F _nsu nsu" "complete -p nsu"
}

@test "bash completion: --re completes to --remap" {
	need_file "$BASH_COMPLETION" "bash-completion"
	run completions nsu --re
	assert_status 0
	assert_eq "$output" --remap "candidates"
}

@test "bash completion: every long option of --help is offered after nsu --" {
	need_file "$BASH_COMPLETION" "bash-completion"
	run completions nsu --
	assert_status 0
	local opt
	for opt in $(long_options); do
		assert_has_line "$output" "$opt" "candidates for 'nsu --'"
	done
}

@test "bash completion: every long option of --help is in completions/nsu.bash" {
	local opt missing=()
	for opt in $(long_options); do
		grep -q -e "$opt\\b" "$NSU_SRCDIR/completions/nsu.bash" || missing+=("$opt")
	done
	assert_eq "${missing[*]}" "" "options missing from completions/nsu.bash"
}

@test "bash completion: --chdir completes directories only" {
	need_file "$BASH_COMPLETION" "bash-completion"
	mkdir -p d/sub
	touch d/subfile
	run completions nsu --chdir "$T/d/su"
	assert_status 0
	assert_match "$output" "^$T/d/sub/?$" "candidates"

	run completions nsu -w /us
	assert_status 0
	assert_match "$output" "^/usr/?$" "candidates"
}

@test "bash completion: the command after -- or after nsu's options" {
	need_file "$BASH_COMPLETION" "bash-completion"
	local line
	for line in "nsu -- ec" "nsu ec" "nsu --single ec" "nsu -v -- ec"; do
		# shellcheck disable=SC2086
		run completions $line
		assert_status 0
		assert_has_line "$output" echo "candidates for '$line'"
	done
}

@test "bash completion: the arguments of -w and --setenv are not taken for the command" {
	need_file "$BASH_COMPLETION" "bash-completion"
	local line
	for line in "nsu -w /tmp ec" "nsu --chdir /tmp ec" "nsu --setenv A b ec" \
		"nsu --unsetenv A ec" "nsu --uidmap 0:0:1 ec" "nsu --remap root ec"; do
		# shellcheck disable=SC2086
		run completions $line
		assert_status 0
		assert_has_line "$output" echo "candidates for '$line'"
	done
}

@test "bash completion: the command's own options after it" {
	need_file "$BASH_COMPLETION" "bash-completion"
	run completions nsu -- ls --almost-al
	assert_status 0
	assert_has_line "$output" --almost-all "candidates"
}

# --- man pages -------------------------------------------------------------------------

@test "nsu(1) renders without warnings" {
	need man col
	local page
	page=$(built man/nsu.1)
	need_file "$page" "the man page nsu.1"
	run --separate-stderr env LC_ALL=C MANWIDTH=80 MANPAGER=cat man --warnings -l "$page"
	assert_status 0
	assert_eq "$stderr" "" "warnings"
	assert_match "$output" "NAME" "rendered page"
}

@test "nsu(1) describes every long option of --help" {
	need man col
	local page text opt missing=()
	page=$(built man/nsu.1)
	need_file "$page" "the man page nsu.1"
	text=$(render "$page")
	for opt in $(long_options); do
		grep -q -F -e "$opt" <<<"$text" || missing+=("$opt")
	done
	assert_eq "${missing[*]}" "" "options missing from nsu(1)"
}

@test "nsu(1) refers to nsu.conf(5)" {
	need man col
	local page
	page=$(built man/nsu.1)
	need_file "$page" "the man page nsu.1"
	assert_match "$(render "$page")" "nsu\\.conf\\(5\\)" "nsu(1)"
}

@test "nsu.conf(5) renders without warnings" {
	need man col
	local page
	page=$(built man/nsu.conf.5)
	need_file "$page" "the man page nsu.conf.5"
	run --separate-stderr env LC_ALL=C MANWIDTH=80 MANPAGER=cat man --warnings -l "$page"
	assert_status 0
	assert_eq "$stderr" "" "warnings"
	assert_match "$output" "NAME" "rendered page"
}

@test "nsu.conf(5) describes every section, key and mode" {
	need man col
	local page text word missing=()
	page=$(built man/nsu.conf.5)
	need_file "$page" "the man page nsu.conf.5"
	text=$(render "$page")
	for word in "[mapping]" "[command]" mode newuidmap newgidmap warn-fallback containers-env \
		shell auto single current-user NSU_CONFIG XDG_CONFIG_HOME; do
		grep -q -F -e "$word" <<<"$text" || missing+=("$word")
	done
	assert_eq "${missing[*]}" "" "words missing from nsu.conf(5)"
}
