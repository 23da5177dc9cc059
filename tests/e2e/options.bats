#!/usr/bin/env bats
# nsu's options: explicit maps (--uidmap, --gidmap), --map-current-user,
# --single, --remap, --print-mappings, -w/--chdir, --setenv/--unsetenv,
# -v/-q, and what happens with conflicting or invalid values.

load helpers

test_setup() {
	# Only the files a test writes itself may configure nsu.
	unset NSU_CONFIG XDG_CONFIG_HOME
	SUBGID_SAVED=
	PASSWD_SAVED=
}

test_teardown() {
	if [ -n "$SUBGID_SAVED" ]; then
		cat "$SUBGID_SAVED" >/etc/subgid
	fi
	if [ -n "$PASSWD_SAVED" ]; then
		cat "$PASSWD_SAVED" >/etc/passwd
	fi
}

# pm IN OUT COUNT: a map line as --print-mappings prints it.
pm() {
	printf '%10s %10s %10s\n' "$1" "$2" "$3"
}

# assert_not_run: the command of the test (touch "$T/ran") did not run.
assert_not_run() {
	[ ! -e "$T/ran" ] || flunk "the command ran"
}

# assert_error RE...: exit status 125, nothing on stdout, one "nsu: " line
# on stderr matching every ERE, and the command did not run.
assert_error() {
	local re
	assert_status 125
	assert_eq "$output" "" "stdout"
	assert_eq "$(wc -l <<<"$stderr")" 1 "number of stderr lines"
	assert_match "$stderr" "^nsu: " "stderr"
	for re in "$@"; do
		assert_match "$stderr" "$re" "stderr"
	done
	assert_not_run
}

# ere TEXT: TEXT as an ERE that matches it literally.
ere() {
	sed 's/[][\.*^$+?(){}|/]/\\&/g' <<<"$1"
}

# --- --uidmap and --gidmap ----------------------------------------------------

@test "--uidmap and --gidmap: the maps are exactly the lines given" {
	run --separate-stderr nsu_as nsu-one --uidmap 0:61001:1,1:100000:10 --uidmap 20:100020:5 \
		--gidmap 0:100000:1,1:61001:1 -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "uid 0 61001 1" "uid 1 100000 10" "uid 20 100020 5" \
		"gid 0 100000 1" "gid 1 61001 1" "setgroups allow")" "maps"
	assert_eq "$stderr" "" "stderr"
}

@test "--uidmap and --gidmap: files land on the outside ids the lines say" {
	run --separate-stderr nsu_as nsu-one --uidmap 0:61001:1,1:100000:10 \
		--gidmap 0:100000:1,1:61001:1 -- sh -c 'id -u; id -g; touch f && stat -c %u:%g f'
	assert_status 0
	assert_eq "$output" "$(printf '0\n0\n0:0')" "id -u, id -g, owner inside"
	assert_eq "$(stat -c %u:%g f)" 61001:100000 "owner outside"
}

@test "--uidmap alone: the gid map uses the same lines" {
	run --separate-stderr nsu_as nsu-one --uidmap 0:61001:1,1:100000:1000 -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "uid 0 61001 1" "uid 1 100000 1000" \
		"gid 0 61001 1" "gid 1 100000 1000" "setgroups allow")" "maps"
	assert_eq "$stderr" "" "stderr"
}

@test "--uidmap alone for a user whose gid differs: the repeated lines are refused for gids" {
	run --separate-stderr nsu_as nsu-grp --uidmap 0:61004:1 -- touch "$T/ran"
	assert_error "61004" "0:61004:1" "--uidmap"
}

@test "--uidmap of only the own uid: no helper, setgroups deny, no warning" {
	run --separate-stderr nsu_as nsu-one --uidmap 0:61001:1 -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "uid 0 61001 1" "gid 0 61001 1" "setgroups deny")" "maps"
	assert_eq "$stderr" "" "stderr"
}

@test "--uidmap without 0 but with the own uid: the command runs as that inside uid" {
	run --separate-stderr nsu_as nsu-one --uidmap 5:61001:1 -- sh -c 'id -u; id -g'
	assert_status 0
	assert_eq "$output" "$(printf '5\n5')" "id -u; id -g"
}

@test "--uidmap with a range outside the subordinate ranges: 125, the range named, nothing runs" {
	run --separate-stderr nsu_as nsu-one --uidmap 0:61001:1,1:200000:10 -- touch "$T/ran"
	assert_error "--uidmap" "200000-200009" "1:200000:10"

	# Partly inside (165530-165535 are nsu-one's, 165536-165539 are not).
	run --separate-stderr nsu_as nsu-one --uidmap 0:61001:1,1:165530:10 -- touch "$T/ran"
	assert_error "--uidmap" "165530-165539" "1:165530:10"

	# Another user's range.
	run --separate-stderr nsu_as nsu-two --uidmap 0:61002:1,1:100000:10 -- touch "$T/ran"
	assert_error "--uidmap" "100000-100009"
}

@test "--gidmap with a range outside the subordinate ranges: 125 naming --gidmap" {
	run --separate-stderr nsu_as nsu-two --uidmap 0:61002:1 --gidmap 0:61002:1,1:300000:3000 \
		-- touch "$T/ran"
	assert_error "--gidmap" "300000-302999" "1:300000:3000"
}

@test "--uidmap lines that overlap inside or outside: 125" {
	run --separate-stderr nsu_as nsu-one --uidmap 0:61001:1,0:100000:10 -- touch "$T/ran"
	assert_error "--uidmap" "0:61001:1 and 0:100000:10 overlap inside"

	run --separate-stderr nsu_as nsu-one --uidmap 0:100000:10,10:100005:10 -- touch "$T/ran"
	assert_error "--uidmap" "0:100000:10 and 10:100005:10 overlap outside"

	# Across two --uidmap options too.
	run --separate-stderr nsu_as nsu-one --uidmap 0:61001:1,1:100000:10 --uidmap 5:100100:1 \
		-- touch "$T/ran"
	assert_error "--uidmap" "overlap inside"
}

@test "--uidmap with 341 lines: 125, the kernel's limit of 340 named" {
	local map=0:61001:1 i
	for i in $(seq 1 340); do
		map+=",$i:$((100000 + i)):1"
	done
	run --separate-stderr nsu_as nsu-one --uidmap "$map" -- touch "$T/ran"
	assert_error "--uidmap" "340"
}

@test "--uidmap with 201 lines (within the kernel's limits) is written as given" {
	local map=0:61001:1 i
	for i in $(seq 1 200); do
		map+=",$i:$((100000 + 2 * i)):1"
	done
	run --separate-stderr nsu_as nsu-one --uidmap "$map" -- sh -c \
		'wc -l </proc/self/uid_map; sed -n "201{s/  */ /g;s/^ //;p}" /proc/self/uid_map'
	assert_status 0
	assert_eq "$output" "$(printf '201\n200 100400 1')" "number of lines, line 201"
}

@test "--uidmap syntax errors: 125 naming --uidmap and the value" {
	local v
	for v in 0:1000 a:b:c -1:0:1 0:61001:1x 0:61001:1:2 " 0:61001:1" 0:61001 4294967295:0:1; do
		run --separate-stderr nsu_as nsu-one --uidmap "$v" -- touch "$T/ran"
		assert_error "^nsu: option '--uidmap': '$(ere "$v")' is not INSIDE:OUTSIDE:COUNT"
	done
}

@test "--uidmap 0:0:0: 125, COUNT 0 maps no id" {
	run --separate-stderr nsu_as nsu-one --uidmap 0:0:0 -- touch "$T/ran"
	assert_error "^nsu: option '--uidmap': '0:0:0' maps no id"
}

@test "--uidmap past the id space: 125" {
	run --separate-stderr nsu_as nsu-one --uidmap 4294967290:61001:10 -- touch "$T/ran"
	assert_error "^nsu: option '--uidmap': '4294967290:61001:10' runs past id 4294967294"
}

@test "--uidmap '' and --gidmap '': 125, an empty map" {
	run --separate-stderr nsu_as nsu-one --uidmap "" -- touch "$T/ran"
	assert_error "^nsu: option '--uidmap': empty map"
	run --separate-stderr nsu_as nsu-one --gidmap "" -- touch "$T/ran"
	assert_error "^nsu: option '--gidmap': empty map"
}

@test "--gidmap syntax errors name --gidmap" {
	run --separate-stderr nsu_as nsu-one --gidmap 0:x:1 -- touch "$T/ran"
	assert_error "^nsu: option '--gidmap': '0:x:1' is not INSIDE:OUTSIDE:COUNT"
}

@test "an empty line in a --uidmap list: 125, and the message shows the value" {
	local v
	for v in "0:61001:1," ",0:61001:1" "0:61001:1,,1:100000:1"; do
		run --separate-stderr nsu_as nsu-one --uidmap "$v" -- touch "$T/ran"
		assert_error "^nsu: option '--uidmap': " "$(ere "$v")"
	done
}

@test "a map that maps neither 0 nor the own id: 125, nothing runs" {
	run --separate-stderr nsu_as nsu-one --uidmap 5:100000:10 -- touch "$T/ran"
	assert_error "--uidmap maps neither uid 0 nor your own uid"

	run --separate-stderr nsu_as nsu-one --uidmap 0:61001:1 --gidmap 5:100000:10 -- touch "$T/ran"
	assert_error "--gidmap maps neither gid 0 nor your own gid"
}

# --- --map-current-user ---------------------------------------------------------

@test "--map-current-user: the own uid and gid inside, the ranges around them" {
	run --separate-stderr nsu_as nsu-one --map-current-user -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines \
		"uid 0 161000 1" "uid 1 100000 61000" "uid 61001 61001 1" "uid 61002 161001 4535" \
		"gid 0 161000 1" "gid 1 100000 61000" "gid 61001 61001 1" "gid 61002 161001 4535" \
		"setgroups allow")" "maps"
	assert_eq "$stderr" "" "stderr"
}

@test "--map-current-user: files made by a default run keep their owners, but 0 and the uid" {
	mkdir -p tree
	chown nsu-one: tree
	nsu_as nsu-one -- sh -c 'cd tree && touch a b c && chown 33:33 a && chown 1000:1000 b && chown 0:0 c'
	run --separate-stderr nsu_as nsu-one --map-current-user -- stat -c '%n %u:%g' tree/a tree/b tree/c
	assert_status 0
	assert_eq "$output" "$(printf 'tree/a 33:33\ntree/b 1000:1000\ntree/c 61001:61001')" "owners"
}

@test "--map-current-user: id -u is the outside uid and the user's files are its own" {
	as_user nsu-one touch mine
	run --separate-stderr nsu_as nsu-one --map-current-user -- sh -c \
		'id -u; id -g; stat -c %u:%g mine; touch new; stat -c %u:%g new'
	assert_status 0
	assert_eq "$output" "$(printf '61001\n61001\n61001:61001\n61001:61001')" \
		"id -u, id -g, owners inside"
	assert_eq "$(stat -c %u:%g new)" 61001:61001 "owner outside"
}

@test "--map-current-user: the command has no capabilities" {
	run --separate-stderr nsu_as nsu-one --map-current-user -- grep -E '^Cap(Inh|Prm|Eff|Amb):' /proc/self/status
	assert_status 0
	assert_eq "$output" "$(printf 'CapInh:\t%s\nCapPrm:\t%s\nCapEff:\t%s\nCapAmb:\t%s' \
		0000000000000000 0000000000000000 0000000000000000 0000000000000000)" "capabilities"
}

@test "--map-current-user for a user whose gid differs from the uid" {
	run --separate-stderr nsu_as nsu-grp --map-current-user -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines \
		"uid 0 561003 1" "uid 1 500000 61003" "uid 61004 61004 1" "uid 61005 561004 4532" \
		"gid 0 561103 1" "gid 1 500000 61103" "gid 61104 61104 1" "gid 61105 561104 4432" \
		"setgroups allow")" "maps"
}

# --- --single -------------------------------------------------------------------

@test "--single: 0 UID 1, setgroups deny, and no warning although ranges exist" {
	run --separate-stderr nsu_as nsu-one --single -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "uid 0 61001 1" "gid 0 61001 1" "setgroups deny")" "maps"
	assert_eq "$stderr" "" "stderr"

	run --separate-stderr nsu_as nsu-grp --single -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "uid 0 61004 1" "gid 0 61104 1" "setgroups deny")" "maps"
	assert_eq "$stderr" "" "stderr"
}

@test "--single for a user without ranges: no warning either" {
	run --separate-stderr nsu_as nsu-none --single -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "uid 0 61003 1" "gid 0 61003 1" "setgroups deny")" "maps"
	assert_eq "$stderr" "" "stderr"
}

# --- --remap --------------------------------------------------------------------

@test "--remap nsu-two as root: the ranges of nsu-two from 0, for uids and gids" {
	run --separate-stderr "$NSU" --remap nsu-two -- sh -c "${MAPS[2]}; id -u; id -g"
	assert_status 0
	assert_eq "$output" "$(maps_lines \
		"uid 0 200000 1000" "uid 1000 300000 2000" \
		"gid 0 200000 1000" "gid 1000 300000 2000" \
		"setgroups allow" 0 0)" "maps, id -u, id -g"
	assert_eq "$stderr" "" "stderr"
}

@test "--remap as root: files created inside belong to the remapped ids" {
	run --separate-stderr "$NSU" --remap nsu-one -- sh -c 'touch f0 f5 && chown 5:5 f5'
	assert_status 0
	assert_eq "$(stat -c %u:%g f0 f5)" "$(printf '100000:100000\n100005:100005')" "owners outside"
}

@test "--remap USER:GROUP as root: the gid map comes from GROUP's subgid lines" {
	SUBGID_SAVED=$T/subgid.saved
	cp /etc/subgid "$SUBGID_SAVED"
	echo "nsu-grpg:700000:3000" >>/etc/subgid

	run --separate-stderr "$NSU" --remap nsu-one:nsu-grpg -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "uid 0 100000 65536" "gid 0 700000 3000" \
		"setgroups allow")" "maps"

	# A group given by number.
	run --separate-stderr "$NSU" --remap nsu-one:61104 -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "uid 0 100000 65536" "gid 0 700000 3000" \
		"setgroups allow")" "maps"
}

@test "--remap USER:GROUP where GROUP has no subgid range: 125 naming the group" {
	run --separate-stderr "$NSU" --remap nsu-one:nsu-grpg -- touch "$T/ran"
	assert_error "nsu-grpg has no range in /etc/subgid" "usermod --add-subgids"
}

@test "--remap root and --remap 0: 125, root cannot be remapped to itself" {
	local v
	for v in root 0 root:nsu-one; do
		run --separate-stderr "$NSU" --remap "$v" -- touch "$T/ran"
		assert_error "^nsu: --remap: root cannot be remapped to itself"
	done
}

@test "--remap of an unknown user or group: 125 naming it" {
	run --separate-stderr "$NSU" --remap no-such-user -- touch "$T/ran"
	assert_error "^nsu: --remap: no user named 'no-such-user'$"
	run --separate-stderr "$NSU" --remap nsu-one:no-such-group -- touch "$T/ran"
	assert_error "^nsu: --remap: no group named 'no-such-group'$"
}

@test "--remap of a user without ranges: 125 with the usermod advice" {
	run --separate-stderr "$NSU" --remap nsu-none -- touch "$T/ran"
	assert_error "nsu-none has no range in /etc/subuid" "usermod --add-subuids .* nsu-none"
}

@test "--remap UID without a command: root's own shell, not the remapped user's" {
	# As on many hosts, the user whose ranges are borrowed cannot log in.
	PASSWD_SAVED=$T/passwd.saved
	cp /etc/passwd "$PASSWD_SAVED"
	sed -i 's|^\(nsu-one:.*:\)/bin/sh$|\1/usr/sbin/nologin|' /etc/passwd
	assert_eq "$(getent passwd nsu-one | cut -d: -f7)" /usr/sbin/nologin "nsu-one's shell"
	local shell
	shell=$(getent passwd root | cut -d: -f7)
	[ -x "$shell" ] && [ "$shell" != /usr/sbin/nologin ] || flunk "root's shell: $shell"
	local how
	for how in 61001 nsu-one; do
		run --separate-stderr env -u SHELL "$NSU" --remap "$how" <<<'echo "$0 $(id -u)"'
		assert_status 0
		assert_eq "$output" "$shell 0" "the shell that ran (--remap $how)"
		assert_eq "$stderr" "" "stderr"
	done
}

@test "--remap as a normal user: 125, it is for root" {
	run --separate-stderr nsu_as nsu-one --remap nsu-two -- touch "$T/ran"
	assert_error "^nsu: --remap is for root"
}

# --- --print-mappings ---------------------------------------------------------

@test "--print-mappings with a command: 125, and the command does not run" {
	run --separate-stderr nsu_as nsu-one --print-mappings -- touch "$T/ran"
	assert_status 125
	assert_eq "$stderr" "nsu: option '--print-mappings' runs no command, but 'touch' was given" "stderr"
	[ ! -e ran ] || flunk "the command ran"
}

@test "--print-mappings for nsu-one: the maps, exit 0, nothing runs" {
	run --separate-stderr nsu_as nsu-one --print-mappings
	assert_status 0
	assert_eq "$output" "$(
		echo "uid map: your uid 61001 as 0, then the subordinate uids of nsu-one from /etc/subuid"
		pm 0 61001 1
		pm 1 100000 65536
		echo "gid map: your gid 61001 as 0, then the subordinate gids of nsu-one from /etc/subgid"
		pm 0 61001 1
		pm 1 100000 65536
		echo "command runs as uid 0 and gid 0 inside")" "stdout"
	assert_eq "$stderr" "" "stderr"
	assert_not_run
}

@test "--print-mappings for nsu-two: both ranges, back to back" {
	run --separate-stderr nsu_as nsu-two --print-mappings
	assert_status 0
	assert_eq "$output" "$(
		echo "uid map: your uid 61002 as 0, then the subordinate uids of nsu-two from /etc/subuid"
		pm 0 61002 1
		pm 1 200000 1000
		pm 1001 300000 2000
		echo "gid map: your gid 61002 as 0, then the subordinate gids of nsu-two from /etc/subgid"
		pm 0 61002 1
		pm 1 200000 1000
		pm 1001 300000 2000
		echo "command runs as uid 0 and gid 0 inside")" "stdout"
	assert_eq "$stderr" "" "stderr"
}

@test "--print-mappings for nsu-none: the single-ID maps and why" {
	run --separate-stderr nsu_as nsu-none --print-mappings
	assert_status 0
	assert_eq "$output" "$(
		echo "uid map: single-ID map: nsu-none has no range in /etc/subuid"
		pm 0 61003 1
		echo "gid map: single-ID map: nsu-none has no range in /etc/subgid"
		pm 0 61003 1
		echo "command runs as uid 0 and gid 0 inside")" "stdout"
	assert_eq "$stderr" "" "stderr"
	assert_not_run
}

@test "--print-mappings with --map-current-user" {
	run --separate-stderr nsu_as nsu-one --map-current-user --print-mappings
	assert_status 0
	assert_eq "$output" "$(
		echo "uid map: your uid 61001 kept, the subordinate uids of nsu-one from /etc/subuid around it (--map-current-user)"
		pm 0 161000 1
		pm 1 100000 61000
		pm 61001 61001 1
		pm 61002 161001 4535
		echo "gid map: your gid 61001 kept, the subordinate gids of nsu-one from /etc/subgid around it (--map-current-user)"
		pm 0 161000 1
		pm 1 100000 61000
		pm 61001 61001 1
		pm 61002 161001 4535
		echo "command runs as uid 61001 and gid 61001 inside")" "stdout"
}

@test "--print-mappings with --uidmap and --gidmap" {
	run --separate-stderr nsu_as nsu-one --print-mappings --uidmap 1:100000:10,0:61001:1 \
		--gidmap 5:61001:1
	assert_status 0
	assert_eq "$output" "$(
		echo "uid map: as given with --uidmap"
		pm 0 61001 1
		pm 1 100000 10
		echo "gid map: as given with --gidmap"
		pm 5 61001 1
		echo "command runs as uid 0 and gid 5 inside")" "stdout"
}

@test "--print-mappings with --uidmap alone: the gid map is said to repeat --uidmap" {
	run --separate-stderr nsu_as nsu-one --print-mappings --uidmap 0:61001:1,1:100000:10
	assert_status 0
	assert_eq "$(sed -n '2,3p;5,6p;7p' <<<"$output")" "$(
		pm 0 61001 1
		pm 1 100000 10
		pm 0 61001 1
		pm 1 100000 10
		echo "command runs as uid 0 and gid 0 inside")" "map lines"
	assert_eq "${lines[0]}" "uid map: as given with --uidmap" "uid map header"
	# No --gidmap was given: the description must not claim one was.
	assert_match "${lines[3]}" "^gid map: .*--uidmap" "gid map header"
}

@test "--print-mappings with an invalid --uidmap: 125, as a run would" {
	run --separate-stderr nsu_as nsu-one --print-mappings --uidmap 0:61001:1,1:200000:10
	assert_error "--uidmap" "200000-200009"
	run --separate-stderr nsu_as nsu-one --print-mappings --uidmap 5:100000:1
	assert_error "--uidmap maps neither uid 0 nor your own uid 61001"
}

@test "--print-mappings with --remap as root" {
	run --separate-stderr "$NSU" --remap nsu-two --print-mappings
	assert_status 0
	assert_eq "$output" "$(
		echo "uid map: the subordinate uids of nsu-two from /etc/subuid, from 0 (--remap)"
		pm 0 200000 1000
		pm 1000 300000 2000
		echo "gid map: the subordinate gids of nsu-two from /etc/subgid, from 0 (--remap)"
		pm 0 200000 1000
		pm 1000 300000 2000
		echo "command runs as uid 0 and gid 0 inside")" "stdout"
	assert_not_run
}

# --- root: mapping options are not silently dropped ----------------------------

@test "as real root, --uidmap is either honoured or refused, never ignored" {
	run --separate-stderr "$NSU" --uidmap 0:100000:10 -- cat /proc/self/uid_map
	if [ "$status" = 125 ]; then
		assert_match "$stderr" "^nsu: .*--uidmap" "stderr"
	else
		assert_status 0
		assert_eq "$(awk '{print $1, $2, $3}' <<<"$output")" "0 100000 10" "uid map"
	fi
}

@test "as real root, --single is either honoured or refused, never ignored" {
	run --separate-stderr "$NSU" --single -- cat /proc/self/uid_map
	if [ "$status" = 125 ]; then
		assert_match "$stderr" "^nsu: .*--single" "stderr"
	else
		assert_status 0
		assert_eq "$(awk '{print $1, $2, $3}' <<<"$output")" "0 0 1" "uid map"
	fi
}

# --- -w/--chdir -----------------------------------------------------------------

@test "-w and --chdir: the command starts in DIR" {
	mkdir -p "with space/sub"
	run --separate-stderr nsu_as nsu-one -w /usr -- pwd
	assert_status 0
	assert_eq "$output" /usr "pwd"
	run --separate-stderr nsu_as nsu-one --chdir "$T/with space" -- pwd
	assert_status 0
	assert_eq "$output" "$T/with space" "pwd"
	run --separate-stderr nsu_as nsu-one --chdir=/tmp -- pwd
	assert_status 0
	assert_eq "$output" /tmp "pwd"
	# Relative to the working directory.
	run --separate-stderr nsu_as nsu-one -w "with space/sub" -- pwd
	assert_status 0
	assert_eq "$output" "$T/with space/sub" "pwd"
}

@test "--chdir happens inside: a directory only root inside may enter" {
	mkdir private
	chown 100000:100000 private
	chmod 0700 private
	run --separate-stderr nsu_as nsu-one --chdir private -- sh -c 'pwd; stat -c %u .'
	assert_status 0
	assert_eq "$output" "$(printf '%s\n1' "$T/private")" "pwd; owner inside"
}

@test "--chdir to a missing directory: 125 with a message, the command does not run" {
	run --separate-stderr nsu_as nsu-one --chdir /nonexistent -- touch "$T/ran"
	assert_error "^nsu: cannot change to directory /nonexistent: No such file or directory$"

	touch file
	run --separate-stderr nsu_as nsu-one -w "$T/file" -- touch "$T/ran"
	assert_error "^nsu: cannot change to directory $(ere "$T/file"): Not a directory$"
}

# --- --setenv and --unsetenv -------------------------------------------------------

@test "--setenv: values with spaces, empty values, and replaced variables" {
	export NSU_T_KEEP=old
	nsu_as nsu-one --setenv NSU_T_A "two  words" --setenv NSU_T_E "" \
		--setenv NSU_T_KEEP new --setenv NSU_T_NL $'a\nb=c' -- env -0 >env.out
	local env
	env=$(tr '\0' '\036' <env.out)
	assert_match "$env" $'(^|\036)NSU_T_A=two  words\036' "environment"
	assert_match "$env" $'(^|\036)NSU_T_E=\036' "environment"
	assert_match "$env" $'(^|\036)NSU_T_NL=a\nb=c\036' "environment"
	assert_match "$env" $'(^|\036)NSU_T_KEEP=new\036' "environment"
	assert_eq "$(tr '\0' '\n' <env.out | grep -c '^NSU_T_KEEP=')" 1 "number of NSU_T_KEEP entries"
}

@test "--setenv and --unsetenv apply in order" {
	run --separate-stderr nsu_as nsu-one --setenv A 1 --setenv A 2 --setenv B x --unsetenv B \
		--unsetenv C --setenv C 3 -- sh -c 'echo "${A-unset} ${B-unset} ${C-unset}"'
	assert_status 0
	assert_eq "$output" "2 unset 3" "A B C"
}

@test "--unsetenv removes a variable of the caller, and an absent one is fine" {
	export NSU_T_GONE=x
	unset NSU_T_NEVER_SET
	run --separate-stderr nsu_as nsu-one --unsetenv NSU_T_GONE --unsetenv NSU_T_NEVER_SET -- \
		sh -c 'echo "${NSU_T_GONE-unset} ${NSU_T_NEVER_SET-unset}"'
	assert_status 0
	assert_eq "$output" "unset unset" "variables"
	assert_eq "$stderr" "" "stderr"
}

@test "--setenv without VALUE: 125" {
	run --separate-stderr nsu_as nsu-one --setenv A
	assert_status 125
	assert_eq "$stderr" "nsu: option '--setenv' needs VAR and VALUE" "stderr"
	run --separate-stderr nsu_as nsu-one --setenv
	assert_status 125
	assert_match "$stderr" "^nsu: option '--setenv' needs a value" "stderr"
}

@test "--setenv and --unsetenv with a name that is not a variable name: 125 naming it" {
	run --separate-stderr nsu_as nsu-one --setenv A=B x -- touch "$T/ran"
	assert_error "^nsu: option '--setenv': 'A=B' is not a variable name \\(--setenv takes VAR and VALUE as two words: --setenv A B\\)$"
	run --separate-stderr nsu_as nsu-one --setenv "" x -- touch "$T/ran"
	assert_error "^nsu: option '--setenv': '' is not a variable name$"
	run --separate-stderr nsu_as nsu-one --unsetenv A=B -- touch "$T/ran"
	assert_error "^nsu: option '--unsetenv': 'A=B' is not a variable name$"
}

# --- -v and -q ----------------------------------------------------------------------

@test "--verbose: the map lines on stderr, stdout untouched" {
	run --separate-stderr nsu_as nsu-two --verbose -- echo out
	assert_status 0
	assert_eq "$output" out "stdout"
	local l
	for l in "uid map: 0 61002 1" "uid map: 1 200000 1000" "uid map: 1001 300000 2000" \
		"gid map: 0 61002 1" "gid map: 1 200000 1000" "gid map: 1001 300000 2000"; do
		assert_has_line "$stderr" "nsu: $l" "stderr"
	done
	assert_has_line "$stderr" \
		"nsu: uid map: your uid 61002 as 0, then the subordinate uids of nsu-two from /etc/subuid" "stderr"
	assert_eq "$(grep -vc '^nsu: ' <<<"$stderr")" 0 "stderr lines without 'nsu: '"
}

@test "-v with --single says the single-ID map was asked for" {
	run --separate-stderr nsu_as nsu-one -v --single -- true
	assert_status 0
	assert_has_line "$stderr" "nsu: uid map: 0 61001 1" "stderr"
	assert_has_line "$stderr" "nsu: gid map: 0 61001 1" "stderr"
	assert_line_match "$stderr" "^nsu: uid map: single-ID map, as asked" "stderr"
	assert_no_match "$stderr" "warning" "stderr"
}

@test "-q and --quiet suppress the fallback warning, not errors" {
	run --separate-stderr nsu_as nsu-none --quiet -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "uid 0 61003 1" "gid 0 61003 1" "setgroups deny")" "maps"
	assert_eq "$stderr" "" "stderr"

	run --separate-stderr nsu_as nsu-none -q --chdir /nonexistent -- touch "$T/ran"
	assert_error "cannot change to directory /nonexistent"
}

# --- conflicts and invalid values ------------------------------------------------------

@test "mapping options that exclude each other: 125 naming both" {
	run --separate-stderr nsu_as nsu-one --single --uidmap 0:61001:1 -- touch "$T/ran"
	assert_error "^nsu: options '--single' and '--uidmap' cannot be combined$"
	run --separate-stderr nsu_as nsu-one --uidmap 0:61001:1 --single -- touch "$T/ran"
	assert_error "^nsu: options '--single' and '--uidmap' cannot be combined$"
	run --separate-stderr nsu_as nsu-one --map-current-user --gidmap 0:61001:1 -- touch "$T/ran"
	assert_error "^nsu: options '--map-current-user' and '--gidmap' cannot be combined$"
	run --separate-stderr nsu_as nsu-one --single --map-current-user -- touch "$T/ran"
	assert_error "^nsu: options '--single' and '--map-current-user' cannot be combined$"
}

@test "--remap with another mapping option: 125 naming both" {
	local other
	for other in --single --map-current-user "--uidmap 0:100000:1" "--gidmap 0:100000:1"; do
		# shellcheck disable=SC2086
		run --separate-stderr "$NSU" --remap nsu-one $other -- touch "$T/ran"
		assert_error "^nsu: options '--remap' and '${other%% *}' cannot be combined$"
		# shellcheck disable=SC2086
		run --separate-stderr "$NSU" $other --remap nsu-one -- touch "$T/ran"
		assert_error "^nsu: options '--remap' and '${other%% *}' cannot be combined$"
	done
}

@test "invalid option values: 125 naming the option and the value" {
	run --separate-stderr nsu_as nsu-one --chdir "" -- touch "$T/ran"
	assert_error "^nsu: option '--chdir' needs a directory, not ''$"
	run --separate-stderr nsu_as nsu-one -w "" -- touch "$T/ran"
	assert_error "^nsu: option '--chdir' needs a directory, not ''$"
	local v
	for v in :x x: "" a:b:c; do
		run --separate-stderr "$NSU" --remap "$v" -- touch "$T/ran"
		assert_error "^nsu: option '--remap': '$(ere "$v")' is not USER or USER:GROUP$"
	done
}

@test "an option without its value, or with one it does not take: 125" {
	run --separate-stderr nsu_as nsu-one --chdir
	assert_status 125
	assert_eq "$stderr" "nsu: option '--chdir' needs a value; see 'nsu --help'" "stderr"
	run --separate-stderr nsu_as nsu-one -w
	assert_status 125
	assert_eq "$stderr" "nsu: option '-w' needs a value; see 'nsu --help'" "stderr"
	run --separate-stderr nsu_as nsu-one --single=yes -- touch "$T/ran"
	assert_error "^nsu: option '--single' takes no value"
}

@test "'--' where a value should be: 125 saying the value is missing, nothing runs" {
	run --separate-stderr nsu_as nsu-one --setenv FOO -- touch "$T/ran"
	assert_error "^nsu: option '--setenv FOO' needs a VALUE before '--'; see 'nsu --help'$"
	run --separate-stderr nsu_as nsu-one --setenv -- touch "$T/ran"
	assert_error "^nsu: option '--setenv' needs VAR and VALUE before '--'; see 'nsu --help'$"
	run --separate-stderr nsu_as nsu-one --unsetenv -- touch "$T/ran"
	assert_error "^nsu: option '--unsetenv' needs a VAR before '--'; see 'nsu --help'$"
	run --separate-stderr nsu_as nsu-one -w -- touch "$T/ran"
	assert_error "^nsu: option '-w' needs a DIR before '--'; see 'nsu --help'$"
	run --separate-stderr nsu_as nsu-one -qw -- touch "$T/ran"
	assert_error "^nsu: option '-w' needs a DIR before '--'; see 'nsu --help'$"
	run --separate-stderr nsu_as nsu-one --chdir -- touch "$T/ran"
	assert_error "^nsu: option '--chdir' needs a DIR before '--'; see 'nsu --help'$"
}

@test "values that only look like options are taken as values" {
	run --separate-stderr nsu_as nsu-one --setenv CFLAGS -O2 --unsetenv -x -- \
		sh -c 'echo "$CFLAGS"'
	assert_status 0
	assert_eq "$output" "-O2" "CFLAGS"
	assert_eq "$stderr" "" "stderr"
}

@test "a bad short option in a cluster is the one named" {
	run --separate-stderr nsu_as nsu-one --single -xv -- touch "$T/ran"
	assert_error "^nsu: unknown option '-x'; see 'nsu --help'$"
	run --separate-stderr nsu_as nsu-one --quiet -vz -- touch "$T/ran"
	assert_error "^nsu: unknown option '-z'; see 'nsu --help'$"
	run --separate-stderr nsu_as nsu-one --single -vw
	assert_status 125
	assert_eq "$stderr" "nsu: option '-w' needs a value; see 'nsu --help'" "stderr"
}

@test "an ambiguous prefix: 125 listing the options it could be" {
	run --separate-stderr nsu_as nsu-one --u
	assert_status 125
	assert_eq "$stderr" "nsu: option '--u' is ambiguous: --uidmap, --unsetenv, --uts, --user; see 'nsu --help'" "stderr"
	run --separate-stderr nsu_as nsu-one --s=1 -- touch "$T/ran"
	assert_error "^nsu: option '--s' is ambiguous: --single, --setenv, --setsid, --session, --session-stop, --session-list; see 'nsu --help'$"
	run --separate-stderr nsu_as nsu-one --ch=x -- touch "$T/ran"
	assert_error "^nsu: option '--ch' is ambiguous: --check, --chdir; see 'nsu --help'$"
	# A unique prefix is still the option it starts.
	run --separate-stderr nsu_as nsu-one --sin --unset HOME -- sh -c 'echo "${HOME-unset}"; wc -l </proc/self/uid_map'
	assert_status 0
	assert_eq "$output" "$(printf 'unset\n1')" "HOME; uid map lines"
}

@test "options after the command belong to the command" {
	run --separate-stderr nsu_as nsu-one printf '%s\n' --single --uidmap x -v --
	assert_status 0
	assert_eq "$output" "$(printf '%s\n' --single --uidmap x -v --)" "printf output"
	assert_eq "$stderr" "" "stderr"

	# And nsu's own mapping is the default one.
	run --separate-stderr nsu_as nsu-one sh -c 'cat /proc/self/uid_map | wc -l; echo "$@"' sh --single
	assert_status 0
	assert_eq "$output" "$(printf '2\n--single')" "uid map lines; arguments"
}
