#!/usr/bin/env bats
# Configuration files: the system file (SYSCONFDIR/nsu.conf), the user's
# ($XDG_CONFIG_HOME/nsu/nsu.conf or ~/.config/nsu/nsu.conf), then $NSU_CONFIG;
# later files override earlier ones and options override them all. What each
# key does, and how errors in the files are reported.

load helpers

# The system file lives outside the fixture's /etc (in /usr/local/etc for a
# plain ./configure). For this file, its directory is covered by a tmpfs in
# the fixture's private mount namespace, with the directory's entries bound
# back in, so that the tests can write the file without touching the host.
setup_file() {
	local line dir top entry name
	line=$(as_user nsu-one env -u NSU_CONFIG -u XDG_CONFIG_HOME "$NSU" -v --print-mappings 2>&1 >/dev/null |
		grep -m1 '^nsu: configuration ') ||
		{ echo "nsu -v does not name its configuration files" >&2; return 1; }
	line=${line#nsu: configuration }
	SYS_CONF=${line%: *}
	[[ $SYS_CONF == /*/nsu.conf ]] ||
		{ echo "unexpected system configuration file '$SYS_CONF'" >&2; return 1; }
	dir=${SYS_CONF%/*}
	top=$dir
	while [ ! -d "$top" ]; do
		top=${top%/*}
	done
	[ -n "$top" ] || { echo "cannot cover / for $SYS_CONF" >&2; return 1; }
	SYS_ORIG=$NSU_FIXTURE_DIR/sysconf-orig
	SYS_TOP=$top
	mkdir -p "$SYS_ORIG"
	mount --rbind "$top" "$SYS_ORIG" || return 1
	mount -t tmpfs -o "mode=$(stat -c %a "$top")" nsu-sysconf "$top" || return 1
	for entry in "$SYS_ORIG"/* "$SYS_ORIG"/.[!.]* "$SYS_ORIG"/..?*; do
		[ -e "$entry" ] || [ -L "$entry" ] || continue
		name=${entry##*/}
		if [ -L "$entry" ]; then
			cp -P "$entry" "$top/$name"
		elif [ -d "$entry" ]; then
			mkdir "$top/$name" && mount --rbind "$entry" "$top/$name"
		else
			touch "$top/$name" && mount --bind "$entry" "$top/$name"
		fi || return 1
	done
	mkdir -p "$dir"
	export SYS_CONF SYS_ORIG SYS_TOP
}

teardown_file() {
	if [ -n "${SYS_TOP:-}" ]; then
		umount -R "$SYS_TOP" 2>/dev/null || umount -R -l "$SYS_TOP"
	fi
	if [ -n "${SYS_ORIG:-}" ]; then
		umount -R "$SYS_ORIG" 2>/dev/null || umount -R -l "$SYS_ORIG"
		rmdir "$SYS_ORIG"
	fi
}

test_setup() {
	unset NSU_CONFIG XDG_CONFIG_HOME
}

test_teardown() {
	rm -f "$SYS_CONF" "$T.sh"
	rm -rf /home/nsu-one/.config /home/nsu-none/.config /home/nsu-one/bin
}

# conf FILE LINE...: write FILE (as root, readable by all).
conf() {
	local f=$1
	shift
	printf '%s\n' "$@" >"$f"
	chmod 0644 "$f"
}

# user_conf USER LINE...: write USER's ~/.config/nsu/nsu.conf, as USER.
user_conf() {
	local user=$1
	shift
	as_user "$user" mkdir -p "/home/$user/.config/nsu"
	printf '%s\n' "$@" | as_user "$user" sh -c 'cat >"$1"' - "/home/$user/.config/nsu/nsu.conf"
}

# nsu_env USER VAR=VALUE... -- ARG...: run nsu as USER with these variables.
nsu_env() {
	local user=$1
	shift
	split_vars "$@"
	as_user "$user" env "${VARS[@]}" "$NSU" "${ARGS[@]}"
}

# nsu_root VAR=VALUE... -- ARG...: run nsu as root (the test's own uid), with
# HOME, XDG_CONFIG_HOME and NSU_CONFIG pointing nowhere unless given, and
# SHELL=/bin/sh.
nsu_root() {
	split_vars "$@"
	env -u NSU_CONFIG -u XDG_CONFIG_HOME HOME=/nonexistent SHELL=/bin/sh "${VARS[@]}" "$NSU" \
		"${ARGS[@]}"
}

# user_file USER FILE LINE...: write FILE as USER, mode 0644.
user_file() {
	local user=$1 file=$2
	shift 2
	printf '%s\n' "$@" | as_user "$user" sh -c 'cat >"$1" && chmod 0644 "$1"' - "$file"
}

# user_shell USER FILE: a shell script of USER's that appends "ran as UID"
# to $T/ran and prints "shell of USER".
user_shell() {
	printf '#!/bin/sh\necho "ran as $(id -u)" >>%s/ran\necho "shell of %s"\n' "$T" "$1" |
		as_user "$1" sh -c 'cat >"$1" && chmod 0755 "$1"' - "$2"
}

FULL_ONE=("uid 0 61001 1" "uid 1 100000 65536" "gid 0 61001 1" "gid 1 100000 65536" "setgroups allow")
SINGLE_ONE=("uid 0 61001 1" "gid 0 61001 1" "setgroups deny")
CURRENT_ONE=("uid 0 161000 1" "uid 1 100000 61000" "uid 61001 61001 1" "uid 61002 161001 4535"
	"gid 0 161000 1" "gid 1 100000 61000" "gid 61001 61001 1" "gid 61002 161001 4535"
	"setgroups allow")

# assert_error RE...: exit status 125, nothing on stdout, one "nsu: " line on
# stderr matching every ERE, and the command (touch "$T/ran") did not run.
assert_error() {
	local re
	assert_status 125
	assert_eq "$output" "" "stdout"
	assert_eq "$(wc -l <<<"$stderr")" 1 "number of stderr lines"
	for re in "$@"; do
		assert_match "$stderr" "$re" "stderr"
	done
	[ ! -e "$T/ran" ] || flunk "the command ran"
}

# ere TEXT: TEXT as an ERE that matches it literally.
ere() {
	sed 's/[][\.*^$+?(){}|/]/\\&/g' <<<"$1"
}

# --- which files, in which order -------------------------------------------------

@test "-v names the files nsu reads, in order" {
	mkdir xdg
	run --separate-stderr nsu_env nsu-one NSU_CONFIG="$T/c.conf" -- -v -- true
	assert_status 0
	assert_eq "$(grep '^nsu: configuration ' <<<"$stderr")" "$(printf '%s\n' \
		"nsu: configuration $SYS_CONF: not present" \
		"nsu: configuration /home/nsu-one/.config/nsu/nsu.conf: not present" \
		"nsu: configuration $T/c.conf: not present")" "configuration lines"

	conf c.conf "[mapping]" "mode = auto"
	run --separate-stderr nsu_env nsu-one XDG_CONFIG_HOME="$T/xdg" NSU_CONFIG="$T/c.conf" -- -v -- true
	assert_status 0
	assert_eq "$(grep '^nsu: configuration ' <<<"$stderr")" "$(printf '%s\n' \
		"nsu: configuration $SYS_CONF: not present" \
		"nsu: configuration $T/xdg/nsu/nsu.conf: not present" \
		"nsu: configuration $T/c.conf: read")" "configuration lines"
}

@test "--help names the system file nsu actually reads" {
	run --separate-stderr nsu_as nsu-one --help
	assert_status 0
	assert_match "$output" "(^|[ ])$(ere "$SYS_CONF")[ ,]" "--help"
}

@test "the system file alone: mode = single" {
	conf "$SYS_CONF" "[mapping]" "mode = single"
	run --separate-stderr nsu_as nsu-one -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "${SINGLE_ONE[@]}")" "maps"
	assert_eq "$stderr" "" "stderr"
}

@test "the user file overrides the system file" {
	conf "$SYS_CONF" "[mapping]" "mode = single"
	user_conf nsu-one "[mapping]" "mode = auto"
	run --separate-stderr nsu_as nsu-one -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "${FULL_ONE[@]}")" "maps"
	assert_eq "$stderr" "" "stderr"

	# Another user still gets the system setting.
	run --separate-stderr nsu_as nsu-two -- cat /proc/self/uid_map
	assert_status 0
	assert_eq "$(wc -l <<<"$output")" 1 "uid map lines of nsu-two"
}

@test "\$NSU_CONFIG overrides the user file" {
	conf "$SYS_CONF" "[mapping]" "mode = single"
	user_conf nsu-one "[mapping]" "mode = auto"
	conf c.conf "[mapping]" "mode = single"
	run --separate-stderr nsu_env nsu-one NSU_CONFIG="$T/c.conf" -- -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "${SINGLE_ONE[@]}")" "maps"
	assert_eq "$stderr" "" "stderr"
}

@test "options override every file" {
	conf "$SYS_CONF" "[mapping]" "mode = single"
	user_conf nsu-one "[mapping]" "mode = single"
	conf c.conf "[mapping]" "mode = single"
	run --separate-stderr nsu_env nsu-one NSU_CONFIG="$T/c.conf" -- --map-current-user -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "${CURRENT_ONE[@]}")" "maps"

	conf c.conf "[mapping]" "mode = current-user"
	run --separate-stderr nsu_env nsu-one NSU_CONFIG="$T/c.conf" -- --single -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "${SINGLE_ONE[@]}")" "maps"

	run --separate-stderr nsu_env nsu-one NSU_CONFIG="$T/c.conf" -- --uidmap 0:61001:1,1:100000:5 \
		-- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "uid 0 61001 1" "uid 1 100000 5" \
		"gid 0 61001 1" "gid 1 100000 5" "setgroups allow")" "maps"
}

@test "a later file overrides only the keys it sets" {
	conf "$SYS_CONF" "[command]" "containers-env = no"
	user_conf nsu-one "[mapping]" "mode = single"
	run --separate-stderr nsu_as nsu-one -- sh -c "${MAPS[2]}; env | grep -c '^_CONTAINERS_' || true"
	assert_status 0
	assert_eq "$output" "$(maps_lines "${SINGLE_ONE[@]}" 0)" "maps; number of _CONTAINERS_ variables"
}

@test "\$XDG_CONFIG_HOME replaces ~/.config" {
	user_conf nsu-one "[mapping]" "mode = single"
	as_user nsu-one mkdir -p xdg/nsu
	conf xdg/nsu/nsu.conf "[mapping]" "mode = current-user"
	run --separate-stderr nsu_env nsu-one XDG_CONFIG_HOME="$T/xdg" -- -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "${CURRENT_ONE[@]}")" "maps"

	# Without the XDG file, ~/.config is still not read.
	rm xdg/nsu/nsu.conf
	run --separate-stderr nsu_env nsu-one XDG_CONFIG_HOME="$T/xdg" -- -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "${FULL_ONE[@]}")" "maps"
}

@test "a relative \$XDG_CONFIG_HOME is ignored: ~/.config is read" {
	user_conf nsu-one "[mapping]" "mode = single"
	as_user nsu-one mkdir -p xdg/nsu
	conf xdg/nsu/nsu.conf "[mapping]" "mode = current-user"
	run --separate-stderr nsu_env nsu-one XDG_CONFIG_HOME=xdg -- -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "${SINGLE_ONE[@]}")" "maps"
}

@test "a missing \$NSU_CONFIG file runs with a warning; an empty \$NSU_CONFIG is fine" {
	run --separate-stderr nsu_env nsu-one NSU_CONFIG="$T/no-such.conf" -- -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "${FULL_ONE[@]}")" "maps"
	assert_eq "$stderr" "nsu: warning: NSU_CONFIG names $T/no-such.conf, which nsu cannot see (missing, or a directory on its way is closed)" "stderr"
	run --separate-stderr nsu_env nsu-one NSU_CONFIG= -- -- id -u
	assert_status 0
	assert_eq "$output" 0 "id -u"
	assert_eq "$stderr" "" "stderr"
}

# --- what each key does ------------------------------------------------------------

@test "[mapping] mode = auto, single, current-user" {
	conf c.conf "[mapping]" "mode = single"
	run --separate-stderr nsu_env nsu-one NSU_CONFIG="$T/c.conf" -- -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "${SINGLE_ONE[@]}")" "maps with mode = single"
	assert_eq "$stderr" "" "stderr with mode = single"

	conf c.conf "[mapping]" "mode = current-user"
	run --separate-stderr nsu_env nsu-one NSU_CONFIG="$T/c.conf" -- -- sh -c "${MAPS[2]}; id -u"
	assert_status 0
	assert_eq "$output" "$(maps_lines "${CURRENT_ONE[@]}" 61001)" "maps with mode = current-user"

	conf "$SYS_CONF" "[mapping]" "mode = single"
	conf c.conf "[mapping]" "mode = auto"
	run --separate-stderr nsu_env nsu-one NSU_CONFIG="$T/c.conf" -- -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "${FULL_ONE[@]}")" "maps with mode = auto"
}

@test "[mapping] newuidmap and newgidmap: the helpers nsu runs" {
	local k
	for k in uid gid; do
		printf '#!/bin/sh\necho "$*" >>%s\nexec /usr/bin/new%smap "$@"\n' "$T/$k.log" "$k" >"new${k}map"
		chmod 0755 "new${k}map"
	done
	touch uid.log gid.log
	chmod 0666 uid.log gid.log
	conf c.conf "[mapping]" "newuidmap = $T/newuidmap" "newgidmap = $T/newgidmap"
	run --separate-stderr nsu_env nsu-one NSU_CONFIG="$T/c.conf" -- -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "${FULL_ONE[@]}")" "maps"
	assert_eq "$stderr" "" "stderr"
	assert_match "$(cat uid.log)" "^[0-9]+ 0 61001 1 1 100000 65536$" "arguments of newuidmap"
	assert_match "$(cat gid.log)" "^[0-9]+ 0 61001 1 1 100000 65536$" "arguments of newgidmap"
}

@test "[mapping] newuidmap = /bin/false: the uid map falls back, the warning names it" {
	conf c.conf "[mapping]" "newuidmap = /bin/false"
	run --separate-stderr nsu_env nsu-one NSU_CONFIG="$T/c.conf" -- -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "uid 0 61001 1" "gid 0 61001 1" "gid 1 100000 65536" \
		"setgroups allow")" "maps"
	assert_eq "$(wc -l <<<"$stderr")" 1 "number of stderr lines"
	assert_match "$stderr" "^nsu: warning: mapping only uid 61001: /bin/false " "stderr"
}

@test "[mapping] newuidmap and newgidmap = /bin/false: both fall back, one warning naming it" {
	conf c.conf "[mapping]" "newuidmap = /bin/false" "newgidmap = /bin/false"
	run --separate-stderr nsu_env nsu-one NSU_CONFIG="$T/c.conf" -- -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "${SINGLE_ONE[@]}")" "maps"
	assert_eq "$(wc -l <<<"$stderr")" 1 "number of stderr lines"
	assert_match "$stderr" "^nsu: warning: mapping only uid 61001 and gid 61001 .*/bin/false" "stderr"
}

@test "[mapping] warn-fallback = no: the fallback without a warning; -v still says it" {
	conf c.conf "[mapping]" "warn-fallback = no"
	run --separate-stderr nsu_env nsu-none NSU_CONFIG="$T/c.conf" -- -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "uid 0 61003 1" "gid 0 61003 1" "setgroups deny")" "maps"
	assert_eq "$stderr" "" "stderr"

	conf c.conf "[mapping]" "newuidmap = /bin/false" "newgidmap = /bin/false" "warn-fallback = no"
	run --separate-stderr nsu_env nsu-one NSU_CONFIG="$T/c.conf" -- -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "${SINGLE_ONE[@]}")" "maps"
	assert_eq "$stderr" "" "stderr"

	run --separate-stderr nsu_env nsu-one NSU_CONFIG="$T/c.conf" -- -v -- true
	assert_status 0
	assert_line_match "$stderr" "^nsu: warning: mapping only uid 61001 and gid 61001" "stderr with -v"
}

@test "[mapping] warn-fallback = yes (and its spellings) keeps the warning" {
	local v
	for v in yes true on 1 YES On; do
		conf c.conf "[mapping]" "warn-fallback = $v"
		run --separate-stderr nsu_env nsu-none NSU_CONFIG="$T/c.conf" -- -- true
		assert_status 0
		assert_match "$stderr" "^nsu: warning: mapping only uid 61003" "stderr with warn-fallback = $v"
	done
}

@test "[command] containers-env = no: no _CONTAINERS_ variables" {
	conf c.conf "[command]" "containers-env = no"
	run --separate-stderr nsu_env nsu-one NSU_CONFIG="$T/c.conf" -- -- env
	assert_status 0
	assert_no_match "$output" "(^|"$'\n'")_CONTAINERS_" "environment"

	conf c.conf "[command]" "containers-env = yes"
	run --separate-stderr nsu_env nsu-one NSU_CONFIG="$T/c.conf" -- -- sh -c 'env | grep ^_CONTAINERS_ | LC_ALL=C sort'
	assert_status 0
	assert_eq "$output" "$(printf '%s\n' _CONTAINERS_ROOTLESS_GID=61001 \
		_CONTAINERS_ROOTLESS_UID=61001 _CONTAINERS_USERNS_CONFIGURED=done)" "variables"
}

@test "[command] shell: the shell run without a command, before \$SHELL" {
	conf c.conf "[command]" "shell = /bin/sh"
	run --separate-stderr nsu_env nsu-one NSU_CONFIG="$T/c.conf" SHELL=/bin/bash -- <<<'echo "$0"; id -u'
	assert_status 0
	assert_eq "$output" "$(printf '/bin/sh\n0')" "\$0 and id -u of the shell"

	# A command given runs instead.
	run --separate-stderr nsu_env nsu-one NSU_CONFIG="$T/c.conf" SHELL=/bin/bash -- -- echo cmd
	assert_status 0
	assert_eq "$output" cmd "output"
}

# --- errors in the files -----------------------------------------------------------------

@test "a malformed line: 125 naming FILE:LINE, nothing runs" {
	conf c.conf "# comment" "[mapping]" "mode = single" "this is not a setting"
	run --separate-stderr nsu_env nsu-one NSU_CONFIG="$T/c.conf" -- -- touch "$T/ran"
	assert_error "^nsu: $(ere "$T/c.conf"):4: malformed line"
}

@test "a rejected file: only its error is printed, no warnings about the lines after it" {
	conf c.conf "[mapping" "mode = single"
	run --separate-stderr nsu_env nsu-one NSU_CONFIG="$T/c.conf" -- -- touch "$T/ran"
	assert_error "^nsu: $(ere "$T/c.conf"):1: "

	conf c.conf "[mapping]" "mode = bogus" "colour = blue"
	run --separate-stderr nsu_env nsu-one NSU_CONFIG="$T/c.conf" -- -- touch "$T/ran"
	assert_error "^nsu: $(ere "$T/c.conf"):2: mode "
}

@test "a malformed system file stops nsu for every user, and names the file" {
	conf "$SYS_CONF" "[mapping]" "" "junk"
	local user
	for user in nsu-one nsu-none; do
		run --separate-stderr nsu_as "$user" -- touch "$T/ran"
		assert_error "^nsu: $(ere "$SYS_CONF"):3: malformed line"
	done
}

@test "a malformed user file: 125 naming it" {
	user_conf nsu-one "[mapping]" "mode"
	run --separate-stderr nsu_as nsu-one -- touch "$T/ran"
	assert_error "^nsu: /home/nsu-one/\\.config/nsu/nsu\\.conf:2: "
}

@test "an invalid value: 125 naming FILE:LINE, the key and the value" {
	local setting re
	for setting in "mode = bogus|mode .*'bogus'" "mode = SINGLE|mode .*'SINGLE'" "mode =|mode .*''" \
		"warn-fallback = maybe|warn-fallback .*'maybe'" "newuidmap = newuidmap|newuidmap .*'newuidmap'" \
		"newgidmap = bin/newgidmap|newgidmap .*'bin/newgidmap'"; do
		re=${setting#*|}
		conf c.conf "[mapping]" "${setting%%|*}"
		run --separate-stderr nsu_env nsu-one NSU_CONFIG="$T/c.conf" -- -- touch "$T/ran"
		assert_error "^nsu: $(ere "$T/c.conf"):2: $re"
	done
	for setting in "containers-env = nope|containers-env .*'nope'" "shell = sh|shell .*'sh'"; do
		re=${setting#*|}
		conf c.conf "[command]" "${setting%%|*}"
		run --separate-stderr nsu_env nsu-one NSU_CONFIG="$T/c.conf" -- -- touch "$T/ran"
		assert_error "^nsu: $(ere "$T/c.conf"):2: $re"
	done
}

@test "an unknown key or section: a warning naming FILE:LINE, and the command runs" {
	conf c.conf "[mapping]" "mode = single" "colour = blue" "" "[other]" "key = value"
	run --separate-stderr nsu_env nsu-one NSU_CONFIG="$T/c.conf" -- -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "${SINGLE_ONE[@]}")" "maps (the known key applies)"
	assert_eq "$(wc -l <<<"$stderr")" 2 "number of stderr lines"
	assert_match "$(sed -n 1p <<<"$stderr")" "^nsu: warning: $(ere "$T/c.conf"):3: .*colour" "stderr line 1"
	assert_match "$(sed -n 2p <<<"$stderr")" "^nsu: warning: $(ere "$T/c.conf"):6: .*other" "stderr line 2"
}

@test "a file the user can see but not read: 125 with its path" {
	conf c.conf "[mapping]" "mode = single"
	chmod 000 c.conf
	run --separate-stderr nsu_env nsu-one NSU_CONFIG="$T/c.conf" -- -- touch "$T/ran"
	assert_error "^nsu: cannot read $(ere "$T/c.conf"): Permission denied$"

	user_conf nsu-one "[mapping]" "mode = single"
	chmod 000 /home/nsu-one/.config/nsu/nsu.conf
	run --separate-stderr nsu_as nsu-one -- touch "$T/ran"
	assert_error "^nsu: cannot read /home/nsu-one/\\.config/nsu/nsu\\.conf: Permission denied$"
}

@test "a user file behind a directory the caller cannot enter is skipped" {
	user_conf nsu-one "junk"
	chmod 0700 /home/nsu-one/.config
	# nsu-two with nsu-one's HOME (as after sudo or setpriv keeping it).
	run --separate-stderr as_user nsu-two env HOME=/home/nsu-one "$NSU" -- id -u
	assert_status 0
	assert_eq "$output" 0 "id -u"
	assert_eq "$stderr" "" "stderr"
}

@test "\$NSU_CONFIG naming a directory: 125" {
	run --separate-stderr nsu_env nsu-one NSU_CONFIG="$T" -- -- touch "$T/ran"
	assert_error "^nsu: cannot read $(ere "$T"): Is a directory$"
}

@test "an over-long line: 125 naming FILE:LINE; an over-long comment is fine" {
	local long
	long="; $(printf '%0300d' 0)"
	conf c.conf "[mapping]" "$long" "mode = single"
	run --separate-stderr nsu_env nsu-one NSU_CONFIG="$T/c.conf" -- -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "${SINGLE_ONE[@]}")" "maps: the setting after the comment applies"

	long="mode = $(printf '%0300d' 0)"
	conf c.conf "[mapping]" "$long"
	run --separate-stderr nsu_env nsu-one NSU_CONFIG="$T/c.conf" -- -- touch "$T/ran"
	assert_error "^nsu: $(ere "$T/c.conf"):2: line longer than [0-9]+ characters$"

	# A long value is not cut short and applied.
	long="/$(printf '%0300d' 0)"
	conf c.conf "[command]" "shell = $long"
	run --separate-stderr nsu_env nsu-one NSU_CONFIG="$T/c.conf" -- </dev/null
	assert_error "^nsu: $(ere "$T/c.conf"):2: line longer than"
}

@test "a file with a NUL byte: 125" {
	printf '[mapping]\nmode = single\0\n' >c.conf
	run --separate-stderr nsu_env nsu-one NSU_CONFIG="$T/c.conf" -- -- touch "$T/ran"
	assert_error "^nsu: $(ere "$T/c.conf"): .*NUL"
}

@test "--help and --version work with a broken configuration" {
	conf c.conf "junk"
	run --separate-stderr nsu_env nsu-one NSU_CONFIG="$T/c.conf" -- --help
	assert_status 0
	assert_match "$output" "^Usage: nsu" "stdout"
	run --separate-stderr nsu_env nsu-one NSU_CONFIG="$T/c.conf" -- --version
	assert_status 0
	assert_match "$output" "^nsu " "stdout"
}

@test "comments, blank lines, CRLF line ends and a missing last newline are accepted" {
	printf '# a comment\r\n; another\r\n\r\n[mapping]\r\nmode = current-user ; trailing\r\nmode = single' >c.conf
	run --separate-stderr nsu_env nsu-one NSU_CONFIG="$T/c.conf" -- -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "${SINGLE_ONE[@]}")" "maps"
	assert_eq "$stderr" "" "stderr"
}

# --- which files are trusted ---------------------------------------------------------

# root_ignores VAR=VALUE... FILE: as root with these variables, FILE (nsu-one's,
# naming nsu-one's shell) is ignored with a warning, and that shell never runs.
root_ignores() {
	local file=${*: -1}
	as_user nsu-one mkdir -p /home/nsu-one/bin
	user_shell nsu-one /home/nsu-one/bin/evil
	user_file nsu-one "$file" "[command]" "shell = /home/nsu-one/bin/evil"
	run --separate-stderr nsu_root "${@:1:$#-1}" -- <<<'echo "$0"; id -u'
	assert_status 0
	assert_eq "$output" "$(printf '/bin/sh\n0')" "\$0 and id -u of the shell that ran"
	assert_eq "$stderr" "nsu: warning: ignoring $file: it is owned by uid 61001 (nsu-one), and as root nsu reads only files owned by root (was the environment kept by su without '-' or by sudo -E?)" "stderr"
	[ ! -e "$T/ran" ] || flunk "nsu-one's shell ran: $(cat "$T/ran")"
}

@test "as root, a user's file under \$XDG_CONFIG_HOME (kept by su) is ignored: its shell never runs" {
	as_user nsu-one mkdir -p xdg/nsu
	root_ignores XDG_CONFIG_HOME="$T/xdg" "$T/xdg/nsu/nsu.conf"
}

@test "as root, a user's file in \$NSU_CONFIG (kept by su) is ignored: its shell never runs" {
	root_ignores NSU_CONFIG="$T/c.conf" "$T/c.conf"
}

@test "as root, a user's ~/.config file (HOME kept by sudo -E) is ignored: its shell never runs" {
	as_user nsu-one mkdir -p /home/nsu-one/.config/nsu
	root_ignores HOME=/home/nsu-one /home/nsu-one/.config/nsu/nsu.conf
}

@test "as root, root's own files apply" {
	conf c.conf "[command]" "shell = /bin/bash"
	run --separate-stderr nsu_root NSU_CONFIG="$T/c.conf" -- <<<'echo "$0"; id -u'
	assert_status 0
	assert_eq "$output" "$(printf '/bin/bash\n0')" "\$0 and id -u of the shell"
	assert_eq "$stderr" "" "stderr"
}

@test "a FIFO or a device as \$NSU_CONFIG: ignored with a warning, nsu does not hang" {
	mkfifo fifo
	chmod 0644 fifo
	run --separate-stderr as_user nsu-one env NSU_CONFIG="$T/fifo" timeout 10 "$NSU" -- id -u
	assert_status 0
	assert_eq "$output" 0 "id -u"
	assert_eq "$stderr" "nsu: warning: ignoring $T/fifo: it is a FIFO, not a regular file (use a regular file)" "stderr"

	run --separate-stderr as_user nsu-one env NSU_CONFIG=/dev/null timeout 10 "$NSU" -- id -u
	assert_status 0
	assert_eq "$output" 0 "id -u"
	assert_eq "$stderr" "nsu: warning: ignoring /dev/null: it is a character device, not a regular file (use a regular file)" "stderr"
}

@test "a configuration file reached through a symbolic link is ignored, and the warning names the target" {
	conf c.conf "[mapping]" "mode = single"
	ln -s c.conf link.conf
	run --separate-stderr nsu_env nsu-one NSU_CONFIG="$T/link.conf" -- -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "${FULL_ONE[@]}")" "maps (the file is not applied)"
	assert_eq "$stderr" "nsu: warning: ignoring $T/link.conf: nsu reads configuration only from the file itself, not through a symbolic link (replace the link with the file, or set NSU_CONFIG=$T/c.conf)" "stderr"

	as_user nsu-one mkdir -p /home/nsu-one/.config/nsu
	as_user nsu-one ln -s "$T/c.conf" /home/nsu-one/.config/nsu/nsu.conf
	run --separate-stderr nsu_as nsu-one -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "${FULL_ONE[@]}")" "maps (the user file is not applied)"
	assert_eq "$stderr" "nsu: warning: ignoring /home/nsu-one/.config/nsu/nsu.conf: nsu reads configuration only from the file itself, not through a symbolic link (replace the link with the file, or set NSU_CONFIG=$T/c.conf)" "stderr"

	# The target itself is read.
	rm /home/nsu-one/.config/nsu/nsu.conf
	run --separate-stderr nsu_env nsu-one NSU_CONFIG="$T/c.conf" -- -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "${SINGLE_ONE[@]}")" "maps"
	assert_eq "$stderr" "" "stderr"
}

@test "a configuration file writable by group or others is ignored; -v says so too" {
	user_conf nsu-one "[mapping]" "mode = single"
	as_user nsu-one chmod 0664 /home/nsu-one/.config/nsu/nsu.conf
	run --separate-stderr nsu_as nsu-one -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "${FULL_ONE[@]}")" "maps (the file is not applied)"
	assert_eq "$stderr" "nsu: warning: ignoring /home/nsu-one/.config/nsu/nsu.conf: it is writable by group or others (chmod go-w it)" "stderr"
	run --separate-stderr nsu_as nsu-one -v -- true
	assert_status 0
	assert_has_line "$stderr" "nsu: configuration /home/nsu-one/.config/nsu/nsu.conf: ignored" "stderr with -v"

	rm -rf /home/nsu-one/.config
	conf c.conf "[mapping]" "mode = single"
	chmod 0646 c.conf
	run --separate-stderr nsu_env nsu-one NSU_CONFIG="$T/c.conf" -- -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "${FULL_ONE[@]}")" "maps (\$NSU_CONFIG is not applied)"
	assert_eq "$stderr" "nsu: warning: ignoring $T/c.conf: it is writable by group or others (chmod go-w it)" "stderr"

	conf "$SYS_CONF" "[mapping]" "mode = single"
	chmod 0664 "$SYS_CONF"
	run --separate-stderr nsu_as nsu-one -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "${FULL_ONE[@]}")" "maps (the system file is not applied)"
	assert_eq "$stderr" "nsu: warning: ignoring $SYS_CONF: it is writable by group or others (chmod go-w it)" "stderr"
}

@test "a configuration file of another user is ignored, for a user as for root" {
	user_file nsu-two two.conf "[mapping]" "mode = single"
	run --separate-stderr nsu_env nsu-one NSU_CONFIG="$T/two.conf" -- -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "${FULL_ONE[@]}")" "maps (the file is not applied)"
	assert_eq "$stderr" "nsu: warning: ignoring $T/two.conf: it is owned by uid 61002 (nsu-two), not by you or root (use a copy of your own)" "stderr"

	# Its owner uses it.
	run --separate-stderr nsu_env nsu-two NSU_CONFIG="$T/two.conf" -- -- cat /proc/self/uid_map
	assert_status 0
	assert_eq "$(wc -l <<<"$output")" 1 "uid map lines of nsu-two (mode = single)"
	assert_eq "$stderr" "" "stderr"

	# A system file that a user owns.
	conf "$SYS_CONF" "[mapping]" "mode = single"
	chown nsu-two "$SYS_CONF"
	run --separate-stderr nsu_as nsu-one -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "${FULL_ONE[@]}")" "maps (the system file is not applied)"
	assert_eq "$stderr" "nsu: warning: ignoring $SYS_CONF: it is owned by uid 61002 (nsu-two), not by you or root (chown it to root)" "stderr"
	run --separate-stderr nsu_root -- -- true
	assert_status 0
	assert_eq "$stderr" "nsu: warning: ignoring $SYS_CONF: it is owned by uid 61002 (nsu-two), and as root nsu reads only files owned by root (chown it to root)" "stderr as root"
}

@test "[command] shell in a world-writable directory: root refuses it, naming the shell, FILE:LINE and the fix" {
	printf '#!/bin/sh\ntouch "%s/ran"\n' "$T" >sh
	chmod 0755 sh
	conf c.conf "[command]" "" "shell = $T/sh"
	# A user's own configuration: the shell runs with the user's privileges,
	# wherever the user keeps it.
	run --separate-stderr nsu_env nsu-one NSU_CONFIG="$T/c.conf" -- </dev/null
	assert_status 0
	[ -e ran ] || flunk "the shell did not run"
	rm ran

	run --separate-stderr nsu_root NSU_CONFIG="$T/c.conf" -- </dev/null
	assert_error "^nsu: cannot run the shell $(ere "$T/sh") set at $(ere "$T/c.conf"):3: directory $(ere "$T") is owned by uid 61001 \(nsu-one\), not by root, "

	# A command given: the shell is not run, nor checked.
	run --separate-stderr nsu_env nsu-one NSU_CONFIG="$T/c.conf" -- -- echo cmd
	assert_status 0
	assert_eq "$output" cmd "output"
}

@test "[command] shell: one's own runs; another user's, or a user's for root, does not" {
	as_user nsu-one mkdir -p /home/nsu-one/bin
	user_shell nsu-one /home/nsu-one/bin/mysh
	conf c.conf "[command]" "shell = /home/nsu-one/bin/mysh"
	run --separate-stderr nsu_env nsu-one NSU_CONFIG="$T/c.conf" -- </dev/null
	assert_status 0
	assert_eq "$output" "shell of nsu-one" "output"
	assert_eq "$(cat ran)" "ran as 0" "the shell ran, as root inside"
	rm ran

	run --separate-stderr nsu_env nsu-two NSU_CONFIG="$T/c.conf" -- </dev/null
	assert_error "^nsu: cannot run the shell /home/nsu-one/bin/mysh set at $(ere "$T/c.conf"):2: /home/nsu-one/bin/mysh is owned by uid 61001 \(nsu-one\), not by you or root \(use a program owned by you or root\)$"

	run --separate-stderr nsu_root NSU_CONFIG="$T/c.conf" -- </dev/null
	assert_error "^nsu: cannot run the shell /home/nsu-one/bin/mysh set at $(ere "$T/c.conf"):2: directory /home/nsu-one is owned by uid 61001 \(nsu-one\), not by root, "

	# In a sticky directory (like /tmp), a shell of the caller's own is fine;
	# one of somebody else is not, even through a link of the caller's.
	user_shell nsu-one "$T.sh"
	conf c.conf "[command]" "shell = $T.sh"
	run --separate-stderr nsu_env nsu-one NSU_CONFIG="$T/c.conf" -- </dev/null
	assert_status 0
	assert_eq "$output" "shell of nsu-one" "output"
	rm ran
	as_user nsu-two mkdir "$T/two"
	as_user nsu-two chmod 0755 "$T/two"
	as_user nsu-two ln -s "$T.sh" "$T/two/link"
	run --separate-stderr nsu_env nsu-two NSU_CONFIG="$T/c.conf" -- </dev/null
	assert_error "^nsu: cannot run the shell $(ere "$T.sh") set at $(ere "$T/c.conf"):2: $(ere "$T.sh") is owned by uid 61001 \(nsu-one\), not by you or root \(use a program owned by you or root\)$"
}

@test "[mapping] helper-timeout: whole seconds from 1 to 3600; anything else is an error naming FILE:LINE" {
	local v
	for v in 1 30 3600; do
		conf c.conf "[mapping]" "helper-timeout = $v"
		run --separate-stderr nsu_env nsu-one NSU_CONFIG="$T/c.conf" -- -- "${MAPS[@]}"
		assert_status 0
		assert_eq "$output" "$(maps_lines "${FULL_ONE[@]}")" "maps with helper-timeout = $v"
		assert_eq "$stderr" "" "stderr with helper-timeout = $v"
	done
	for v in 0 3601 -1 10s 1.5 ""; do
		conf c.conf "[mapping]" "helper-timeout = $v"
		run --separate-stderr nsu_env nsu-one NSU_CONFIG="$T/c.conf" -- -- touch "$T/ran"
		assert_error "^nsu: $(ere "$T/c.conf"):2: helper-timeout must be a whole number of seconds from 1 to 3600, not '$(ere "$v")'$"
	done
}

# --- [session] ---------------------------------------------------------------------

# nsu_run_dir USER VAR=VALUE... -- ARG...: nsu_env with $T/run, a directory of
# USER's, as its runtime directory (its sessions end when $T is removed).
nsu_run_dir() {
	local user=$1
	shift
	[ -d "$T/run" ] || install -d -m 0700 -o "$user" -g "$(id -g "$user")" "$T/run"
	nsu_env "$user" XDG_RUNTIME_DIR="$T/run" "$@"
}

@test "[session] name: every call that names no session runs in that session" {
	local ns
	conf c.conf "[session]" "name = s"
	run --separate-stderr nsu_run_dir nsu-one NSU_CONFIG="$T/c.conf" -- -- readlink /proc/self/ns/user
	assert_status 0
	assert_eq "$stderr" "" "stderr"
	ns=$output
	[ "$ns" != "$(readlink /proc/self/ns/user)" ] || flunk "the caller's user namespace"
	run --separate-stderr nsu_run_dir nsu-one NSU_CONFIG="$T/c.conf" -- -- readlink /proc/self/ns/user
	assert_status 0
	assert_eq "$output" "$ns" "the user namespace of the second call"
	run --separate-stderr nsu_run_dir nsu-one NSU_CONFIG="$T/c.conf" -- --session-list
	assert_status 0
	assert_eq "${#lines[@]}" 2 "lines of --session-list"
	assert_match "${lines[1]}" "^s +[0-9]+ " "the session"
	# A call that names a session runs in that one.
	run --separate-stderr nsu_run_dir nsu-one NSU_CONFIG="$T/c.conf" -- --session t -- readlink /proc/self/ns/user
	assert_status 0
	[ "$output" != "$ns" ] || flunk "--session t ran in session s"
	# --print-mappings makes no session and joins none.
	run --separate-stderr nsu_run_dir nsu-one NSU_CONFIG="$T/c.conf" -- --print-mappings
	assert_status 0
	assert_match "$output" "^uid map: " "--print-mappings"
}

@test "[session] name = none, or empty, in a later file turns it off" {
	local off ns
	user_conf nsu-one "[session]" "name = s"
	ns=$(nsu_run_dir nsu-one -- -- readlink /proc/self/ns/user)
	run --separate-stderr nsu_run_dir nsu-one -- -- readlink /proc/self/ns/user
	assert_eq "$output" "$ns" "the user file alone: the second call joins the session"
	for off in "name = none" "name ="; do
		conf c.conf "[session]" "$off"
		run --separate-stderr nsu_run_dir nsu-one NSU_CONFIG="$T/c.conf" -- -- readlink /proc/self/ns/user
		assert_status 0
		assert_eq "$stderr" "" "stderr with '$off'"
		[ "$output" != "$ns" ] || flunk "with '$off' in \$NSU_CONFIG, the call ran in session s"
		run --separate-stderr nsu_run_dir nsu-one NSU_CONFIG="$T/c.conf" -- -- readlink /proc/self/ns/user
		[ "$output" != "$ns" ] || flunk "with '$off' in \$NSU_CONFIG, the second call ran in session s"
	done
	run --separate-stderr nsu_run_dir nsu-one -- --session-list
	assert_eq "${#lines[@]}" 2 "lines of --session-list: session s alone"
}

@test "[session] name: a bad name is an error naming FILE:LINE, nothing runs" {
	local v
	for v in ../x .x -x a/b "a b" "$(printf 'n%.0s' {1..65})" "x*"; do
		conf c.conf "[session]" "name = $v"
		run --separate-stderr nsu_run_dir nsu-one NSU_CONFIG="$T/c.conf" -- -- touch "$T/ran"
		assert_error "^$(ere "nsu: $T/c.conf:2: name must be a session name (1 to 64 of letters, digits, '.', '_' and '-', not starting with '.' or '-') or none, not '$v'")\$"
	done
	[ ! -e "$T/run/nsu" ] || flunk "a directory of sessions was made"
}

@test "contrib/nsu.conf.example is valid and changes nothing" {
	conf c.conf "$(cat "$NSU_SRCDIR/contrib/nsu.conf.example")"
	run --separate-stderr nsu_env nsu-one NSU_CONFIG="$T/c.conf" -- -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "${FULL_ONE[@]}")" "maps"
	assert_eq "$stderr" "" "stderr"
}
