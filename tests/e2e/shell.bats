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

@test "bash completion: --cap-drop and --cap-add complete capability names" {
	need_file "$BASH_COMPLETION" "bash-completion"
	run completions nsu --cap-drop sys_a
	assert_status 0
	assert_eq "$output" sys_admin "candidates for 'nsu --cap-drop sys_a'"

	run completions nsu --cap-add cap_ch
	assert_status 0
	assert_eq "$output" $'cap_checkpoint_restore\ncap_chown' "candidates for 'nsu --cap-add cap_ch'"

	run completions nsu --cap-drop=net_r
	assert_status 0
	assert_eq "$output" net_raw "candidates for 'nsu --cap-drop=net_r'"
}

@test "bash completion: both words of --bind and --ro-bind are files" {
	need_file "$BASH_COMPLETION" "bash-completion"
	mkdir -p d/sub
	touch d/subfile
	local opt
	for opt in --bind --ro-bind; do
		run completions nsu "$opt" /et
		assert_status 0
		assert_has_line "$output" /etc "candidates for 'nsu $opt /et'"

		run completions nsu "$opt" "$T/d/su"
		assert_status 0
		assert_has_line "$output" "$T/d/subfile" "candidates for 'nsu $opt $T/d/su' (SRC)"

		run completions nsu "$opt" /etc "$T/d/su"
		assert_status 0
		assert_has_line "$output" "$T/d/subfile" "candidates for 'nsu $opt /etc $T/d/su' (DEST)"
		assert_line_match "$output" "^$T/d/sub/?$" "candidates for 'nsu $opt /etc $T/d/su' (DEST)"

		run completions nsu "$opt=/etc" "$T/d/su"
		assert_status 0
		assert_has_line "$output" "$T/d/subfile" "candidates for 'nsu $opt=/etc $T/d/su' (DEST)"
	done
}

@test "bash completion: --rootfs and --tmpfs complete directories only" {
	need_file "$BASH_COMPLETION" "bash-completion"
	mkdir -p d/sub
	# executable: not a candidate even if the word were taken for the command
	touch d/subfile
	chmod +x d/subfile
	local opt
	for opt in --rootfs --tmpfs; do
		run completions nsu "$opt" "$T/d/su"
		assert_status 0
		assert_match "$output" "^$T/d/sub/?$" "candidates for 'nsu $opt $T/d/su'"
	done
}

@test "bash completion: nothing is offered for --hostname and --oom-score-adj" {
	need_file "$BASH_COMPLETION" "bash-completion"
	local opt
	for opt in --hostname --oom-score-adj; do
		run completions nsu "$opt" ""
		assert_status 0
		assert_eq "$output" "" "candidates for 'nsu $opt '"
	done
}

@test "bash completion: the values of the isolation options are not taken for the command" {
	need_file "$BASH_COMPLETION" "bash-completion"
	local line
	for line in "nsu --bind /a /b ec" "nsu --ro-bind /a /b ec" "nsu --bind=/a /b ec" \
		"nsu --bi /a /b ec" "nsu --tmpfs /t ec" "nsu --rootfs /r ec" "nsu --hostname h ec" \
		"nsu --oom-score-adj -5 ec" "nsu --cap-drop chown ec" "nsu --cap-add chown ec" \
		"nsu --pid --mount-proc --net --caps-none --no-new-privs --die-with-parent ec" \
		"nsu --rootfs /r --ro-root --bind /a /b -- ec"; do
		# shellcheck disable=SC2086
		run completions $line
		assert_status 0
		assert_has_line "$output" echo "candidates for '$line'"
	done
}

# --- fish completion ---------------------------------------------------------------

# fish_completions LINE: what fish offers for the command line LINE (its last
# word completed), one candidate per line without description, sorted.
fish_completions() {
	HOME=$T fish --no-config -c 'source $argv[1]; complete -C $argv[2]' \
		"$NSU_SRCDIR/completions/nsu.fish" "$1" | cut -f1 | LC_ALL=C sort -u
}

@test "fish completion: every long option of --help is offered after nsu --" {
	need fish
	run fish_completions "nsu --"
	assert_status 0
	local opt
	for opt in $(long_options); do
		assert_has_line "$output" "$opt" "candidates for 'nsu --'"
	done
}

@test "fish completion: capabilities, --bind's two files, --rootfs's directories" {
	need fish
	mkdir -p d/sub
	touch d/subfile
	chmod +x d/subfile
	run fish_completions "nsu --cap-drop sys_a"
	assert_status 0
	assert_eq "$output" sys_admin "candidates for 'nsu --cap-drop sys_a'"

	run fish_completions "nsu --bind $T/d/su"
	assert_status 0
	assert_has_line "$output" "$T/d/subfile" "candidates for 'nsu --bind $T/d/su' (SRC)"
	run fish_completions "nsu --ro-bind /etc $T/d/su"
	assert_status 0
	assert_has_line "$output" "$T/d/subfile" "candidates for 'nsu --ro-bind /etc $T/d/su' (DEST)"

	run fish_completions "nsu --rootfs $T/d/su"
	assert_status 0
	assert_eq "$output" "$T/d/sub/" "candidates for 'nsu --rootfs $T/d/su'"
}

@test "fish completion: the values of the isolation options are not taken for the command" {
	need fish
	local line
	for line in "nsu --bind /a /b ec" "nsu --ro-bind=/a /b ec" "nsu --tmpfs /t ec" \
		"nsu --hostname h ec" "nsu --oom-score-adj -5 ec" "nsu --cap-add chown ec"; do
		run fish_completions "$line"
		assert_status 0
		assert_has_line "$output" echo "candidates for '$line'"
	done
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

@test "nsu.conf(5) describes [namespaces] and the new [command] keys" {
	need man col
	local page text word missing=()
	page=$(built man/nsu.conf.5)
	need_file "$page" "the man page nsu.conf.5"
	text=$(render "$page")
	for word in "[namespaces]" "pid = yes | no" "mount-proc = yes | no" "uts = yes | no" \
		"ipc = yes | no" "net = yes | no" "cgroup = yes | no" "die-with-parent = yes | no" \
		"no-new-privs = yes | no"; do
		grep -q -F -e "$word" <<<"$text" || missing+=("$word")
	done
	assert_eq "${missing[*]}" "" "words missing from nsu.conf(5)"
}
