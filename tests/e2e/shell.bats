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

# COMPLETE: a bash script that sources bash-completion ($1) and nsu's
# completion ($2) and prints what _nsu offers for the command line of its
# other arguments, completing the last one, one candidate per line.
# shellcheck disable=SC2016 # expanded by the bash that runs it
COMPLETE='
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
	printf "%s\n" "${COMPREPLY[@]}"'

# completions WORD...: what bash completion offers for the command line
# "WORD...", completing its last word (give "" to complete a new word), one
# candidate per line, sorted.
completions() {
	bash --norc --noprofile -c "$COMPLETE" - "$BASH_COMPLETION" "$NSU_SRCDIR/completions/nsu.bash" "$@" |
		LC_ALL=C sort -u
}

# readable_completions: the path of a copy of completions/ in $T, which the
# test users can read wherever the source tree is (a build tree in a
# directory only root may enter, say).
readable_completions() {
	if [ ! -d "$T/completions" ]; then
		cp -R "$NSU_SRCDIR/completions" "$T/completions" && chmod -R a+rX "$T/completions" ||
			return 1
	fi
	echo "$T/completions"
}

# user_completions USER WORD...: as completions, but run as USER, with
# $T/run-USER as its runtime directory (where its sessions are kept).
user_completions() {
	local user=$1 dir
	shift
	dir=$(readable_completions) || return 1
	as_user "$user" env XDG_RUNTIME_DIR="$T/run-$user" bash --norc --noprofile -c "$COMPLETE" - \
		"$BASH_COMPLETION" "$dir/nsu.bash" "$@" | LC_ALL=C sort -u
}

# make_sessions USER NAME...: sessions NAME... of USER, kept in $T/run-USER
# (removing $T at the end of the test ends them).
make_sessions() {
	local user=$1 name
	shift
	install -d -m 0700 -o "$user" -g "$(id -g "$user")" "$T/run-$user"
	for name in "$@"; do
		as_user "$user" env XDG_RUNTIME_DIR="$T/run-$user" "$NSU" -q --session "$name" -- true ||
			flunk "cannot make session $name of $user"
	done
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

@test "bash completion: --session and --session-stop complete the names of live sessions" {
	need_file "$BASH_COMPLETION" "bash-completion"
	make_sessions nsu-one build other
	run user_completions nsu-one "$NSU" --session b
	assert_status 0
	assert_eq "$output" build "candidates for 'nsu --session b'"
	run user_completions nsu-one "$NSU" --session ""
	assert_status 0
	assert_eq "$output" $'build\nother' "candidates for 'nsu --session '"
	run user_completions nsu-one "$NSU" --session-stop b
	assert_status 0
	assert_eq "$output" build "candidates for 'nsu --session-stop b'"
	run user_completions nsu-one "$NSU" --session-stop=o
	assert_status 0
	assert_eq "$output" other "candidates for 'nsu --session-stop=o'"
	# Another user has sessions of its own, and none of nsu-one's.
	run user_completions nsu-two "$NSU" --session ""
	assert_status 0
	assert_eq "$output" "" "candidates for nsu-two"
	# A stopped session is not offered.
	as_user nsu-one env XDG_RUNTIME_DIR="$T/run-nsu-one" "$NSU" --session-stop build
	run user_completions nsu-one "$NSU" --session ""
	assert_status 0
	assert_eq "$output" other "candidates after --session-stop build"
}

@test "bash completion: --join completes the ids of the caller's own processes" {
	need_file "$BASH_COMPLETION" "bash-completion"
	bg_as nsu-one sleep.pid sleep 1000
	run user_completions nsu-one "$NSU" --join ""
	assert_status 0
	assert_has_line "$output" "$BG_PID" "candidates for 'nsu --join '"
	# Root's processes are not nsu-one's to join.
	assert_no_match "$output" "(^|"$'\n'")($$|1)("$'\n'"|$)" "candidates for 'nsu --join '"
	run user_completions nsu-one "$NSU" --join "${BG_PID:0:${#BG_PID}-1}"
	assert_status 0
	assert_has_line "$output" "$BG_PID" "candidates for 'nsu --join ${BG_PID:0:${#BG_PID}-1}'"
	run user_completions nsu-one "$NSU" --join=""
	assert_status 0
	assert_has_line "$output" "$BG_PID" "candidates for 'nsu --join='"
}

@test "bash completion: --session-list takes no value; the values of the session options are not taken for the command" {
	need_file "$BASH_COMPLETION" "bash-completion"
	local line
	for line in "nsu --session s ec" "nsu --session=s ec" "nsu --join 1 ec" "nsu --session-list ec" \
		"nsu --session s --pid -- ec"; do
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

# user_fish_completions USER LINE: as fish_completions, but run as USER, with
# $T/run-USER as its runtime directory.
user_fish_completions() {
	local dir
	dir=$(readable_completions) || return 1
	as_user "$1" env HOME="$T" XDG_RUNTIME_DIR="$T/run-$1" fish --no-config -c \
		'source $argv[1]; complete -C $argv[2]' "$dir/nsu.fish" "$2" |
		cut -f1 | LC_ALL=C sort -u
}

# offers_own_pids COMPLETER: "nsu --join " completed by COMPLETER (a
# *_completions function) as nsu-one offers its processes, not root's nor 1.
offers_own_pids() {
	bg_as nsu-one sleep.pid sleep 1000
	run "$1" nsu-one "$NSU --join "
	assert_status 0
	assert_has_line "$output" "$BG_PID" "candidates for 'nsu --join '"
	assert_no_match "$output" "(^|"$'\n'")($$|1)("$'\n'"|$)" "candidates for 'nsu --join '"
}

@test "fish completion: session names, the caller's own pids for --join" {
	need fish
	make_sessions nsu-one build other
	run user_fish_completions nsu-one "$NSU --session b"
	assert_status 0
	assert_eq "$output" build "candidates for 'nsu --session b'"
	run user_fish_completions nsu-one "$NSU --session-stop "
	assert_status 0
	assert_eq "$output" $'build\nother' "candidates for 'nsu --session-stop '"
	run user_fish_completions nsu-two "$NSU --session "
	assert_status 0
	assert_eq "$output" "" "candidates for nsu-two"

	offers_own_pids user_fish_completions

	local line
	for line in "nsu --session s ec" "nsu --join 1 ec" "nsu --session-list ec"; do
		run fish_completions "$line"
		assert_status 0
		assert_has_line "$output" echo "candidates for '$line'"
	done
}

# --- zsh completion ----------------------------------------------------------------

# ZSH_COMPLETE: a zsh script that runs an interactive zsh under zpty with
# the completions of directory $1, types the command line $3 and TAB there,
# and writes every match the completion functions add to the file $2.
# shellcheck disable=SC2016 # expanded by the zsh that runs it
ZSH_COMPLETE='
	compdir=$1 out=$2 line=$3
	zmodload zsh/zpty || exit 1
	zpty z zsh -f -i
	zpty -w z "fpath=(${(q)compdir} \$fpath); autoload -Uz compinit; compinit -u -D"
	zpty -w z "unsetopt autolist automenu listbeep beep; PS1=\"> \"; bindkey \"^Xk\" kill-buffer"
	# compadd, wrapped: every match it is given also goes to $out.tmp.
	zpty -w z "compadd() { local -a got; builtin compadd -O got \"\$@\";" \
		"(( \$#got )) && print -rl -- \"\${got[@]}\" >>${(q)out}.tmp; builtin compadd \"\$@\"; }"
	# Wait for the shell to read all that, so that the keys below go to its line editor.
	zpty -w z ": >${(q)out}.ready"
	for i in {1..200}; do [[ -e $out.ready ]] && break; sleep 0.05; done
	# The line, TAB, the line killed, then the matches moved to $out.
	zpty -w -n z "$line"$'\''\t\C-xk'\''"mv ${(q)out}.tmp ${(q)out} 2>/dev/null || : >${(q)out}"$'\''\n'\''
	for i in {1..200}; do [[ -e $out ]] && break; sleep 0.05; done
	zpty -d z
	[[ -e $out ]] || { print -u2 "zsh did not complete: $line"; exit 1 }'

# zsh_completions USER LINE: the matches zsh's completion finds for the
# command line LINE (its last word completed), in an interactive zsh of USER
# (root: as it is) with $T/run-USER as its runtime directory; one per line,
# sorted.
zsh_completions() {
	local user=$1 out run dir
	out=$(mktemp -u "$T/zsh.XXXXXX")
	dir=$(readable_completions) || return 1
	run=(env HOME="$T" XDG_RUNTIME_DIR="$T/run-$user" zsh -f -c "$ZSH_COMPLETE" -
		"$dir" "$out" "$2")
	if [ "$user" = root ]; then
		"${run[@]}"
	else
		as_user "$user" "${run[@]}"
	fi || return 1
	LC_ALL=C sort -u "$out"
}

@test "zsh completion: every long option of --help is offered after nsu --" {
	need zsh
	run zsh_completions root "nsu --"
	assert_status 0
	local opt
	for opt in $(long_options); do
		assert_has_line "$output" "$opt" "candidates for 'nsu --'"
	done
}

@test "zsh completion: session names, the caller's own pids for --join" {
	need zsh
	make_sessions nsu-one build other
	run zsh_completions nsu-one "$NSU --session b"
	assert_status 0
	assert_eq "$output" build "candidates for 'nsu --session b'"
	run zsh_completions nsu-one "$NSU --session-stop="
	assert_status 0
	assert_eq "$output" $'build\nother' "candidates for 'nsu --session-stop='"
	install -d -m 0700 -o nsu-two -g nsu-two "$T/run-nsu-two"
	run zsh_completions nsu-two "$NSU --session "
	assert_status 0
	assert_eq "$output" "" "candidates for nsu-two"

	offers_own_pids zsh_completions

	run zsh_completions root "nsu --join 1 ec"
	assert_status 0
	assert_has_line "$output" echo "candidates for 'nsu --join 1 ec'"
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

# page_has PAGE WORD...: the built man page man/PAGE, rendered, holds every WORD.
page_has() {
	local name=$1 page text word missing=()
	page=$(built "man/$name")
	need_file "$page" "the man page $name"
	text=$(render "$page")
	shift
	for word in "$@"; do
		grep -q -F -e "$word" <<<"$text" || missing+=("$word")
	done
	assert_eq "${missing[*]}" "" "words missing from man/$name"
}

@test "nsu(1) describes every long option of --help" {
	need man col
	page_has nsu.1 $(long_options)
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
	page_has nsu.conf.5 "[mapping]" "[command]" mode newuidmap newgidmap warn-fallback containers-env \
		shell auto single current-user NSU_CONFIG XDG_CONFIG_HOME
}

@test "nsu.conf(5) describes [namespaces] and the new [command] keys" {
	need man col
	page_has nsu.conf.5 "[namespaces]" "pid = yes | no" "mount-proc = yes | no" "uts = yes | no" \
		"ipc = yes | no" "net = yes | no" "cgroup = yes | no" "die-with-parent = yes | no" \
		"no-new-privs = yes | no"
}

@test "nsu.conf(5) describes [session] and its key" {
	need man col
	page_has nsu.conf.5 "[session]" "name = NAME | none" "nsu --session-stop NAME"
}

@test "nsu(1) describes sessions: where they are recorded, how they end, --join" {
	need man col
	page_has nsu.1 SESSIONS "--session NAME" "--session-stop NAME" "--session-list" "--join PID" \
		XDG_RUNTIME_DIR '$XDG_RUNTIME_DIR/nsu/NAME/record' /tmp/nsu-UID/NAME/record .NAME.lock \
		"nsu --session-stop build" "pidfd_open(2)" "setns(2)"
}
