#!/usr/bin/env bats
# Already root with CAP_SYS_ADMIN (real root, or inside nsu): no new user
# namespace, only a private mount namespace.

load helpers

@test "as real root: uid 0, the same user namespace, a new mount namespace" {
	run --separate-stderr "$NSU" -- sh -c 'id -u; readlink /proc/self/ns/user /proc/self/ns/mnt'
	assert_status 0
	assert_eq "${lines[0]}" 0 "id -u"
	assert_eq "${lines[1]}" "$(readlink /proc/self/ns/user)" "user namespace"
	[ "${lines[2]}" != "$(readlink /proc/self/ns/mnt)" ] || flunk "same mount namespace as outside"
	assert_match "${lines[2]}" '^mnt:\[[0-9]+\]$' "mount namespace"
	assert_eq "$stderr" "" "stderr"
}

@test "as real root: the identity map and the caller's environment (no new ids)" {
	run --separate-stderr "$NSU" -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(cd / && "${MAPS[@]}")" "maps"
}

@test "as real root: a mount inside is not visible outside" {
	mkdir mnt
	run --separate-stderr "$NSU" -- sh -c 'mount -t tmpfs none mnt && touch mnt/x && test -e mnt/x'
	assert_status 0
	[ ! -e mnt/x ] || flunk "mnt/x exists outside"
	! grep -q " $T/mnt " /proc/self/mounts || flunk "the tmpfs is mounted outside"
}

@test "as real root: exit status, command not found" {
	run --separate-stderr "$NSU" -- sh -c 'exit 42'
	assert_status 42
	run -127 --separate-stderr "$NSU" -- no-such-cmd
	assert_status 127
	assert_eq "$stderr" "nsu: no-such-cmd: command not found" "stderr"
	run --separate-stderr "$NSU" -- sh -c 'kill -TERM $$'
	assert_status 143
}

@test "as root without CAP_SYS_ADMIN: a new user namespace after all" {
	run --separate-stderr setpriv --inh-caps=-sys_admin --bounding-set=-sys_admin -- \
		"$NSU" -q -- sh -c 'id -u; readlink /proc/self/ns/user'
	assert_status 0
	assert_eq "${lines[0]}" 0 "id -u"
	[ "${lines[1]}" != "$(readlink /proc/self/ns/user)" ] || flunk "same user namespace as outside"
}

@test "nested: nsu inside nsu runs as 0 with the same map" {
	run --separate-stderr nsu_as nsu-one -- "$NSU" -- sh -c \
		'id -u; while read -r a b c; do echo "$a $b $c"; done </proc/self/uid_map'
	assert_status 0
	assert_eq "$output" "$(printf '0\n0 61001 1\n1 100000 65536')" "id -u and uid map"
	assert_eq "$stderr" "" "stderr"
}

@test "nested: no second user namespace, a second mount namespace" {
	run --separate-stderr nsu_as nsu-one -- sh -c \
		'readlink /proc/self/ns/user /proc/self/ns/mnt; "$NSU" -- readlink /proc/self/ns/user /proc/self/ns/mnt'
	assert_status 0
	assert_eq "${#lines[@]}" 4 "number of lines"
	assert_eq "${lines[2]}" "${lines[0]}" "user namespace of level 2"
	[ "${lines[3]}" != "${lines[1]}" ] || flunk "level 2 has the mount namespace of level 1"
	[ "${lines[0]}" != "$(readlink /proc/self/ns/user)" ] || flunk "level 1 has no user namespace"
}

@test "nested: exit statuses and signals pass through both levels" {
	run --separate-stderr nsu_as nsu-one -- "$NSU" -- sh -c 'exit 42'
	assert_status 42
	run --separate-stderr nsu_as nsu-one -- "$NSU" -- sh -c 'kill -TERM $$'
	assert_status 143
}

@test "as real root with --remap or --uidmap: the command holds no supplementary group" {
	# A file only root's supplementary group 4 (adm under sudo) may read.
	echo secret >secret
	chown 0:4 secret
	chmod 0640 secret
	local opts
	for opts in "--remap nsu-one" "--uidmap 0:100000:65536"; do
		run --separate-stderr setpriv --groups=4,42 -- "$NSU" $opts -- sh -c \
			'grep "^Groups:" /proc/self/status; cat "$0"/secret' "$T"
		assert_match "${lines[0]}" "^Groups:[[:space:]]*$" "supplementary groups with $opts"
		assert_status 1
		assert_match "$stderr" "Permission denied" "reading a root-group file with $opts"
	done
}

@test "as real root: --setenv PATH is the PATH the command is looked up in" {
	mkdir bin
	printf '#!/bin/sh\necho "mine $PATH"\n' >bin/only-here
	chmod 0755 bin/only-here
	run --separate-stderr "$NSU" --setenv PATH "$T/bin" -- only-here
	assert_status 0
	assert_eq "$output" "mine $T/bin" "output"
	run -127 --separate-stderr "$NSU" --setenv PATH /nonexistent -- ls
	assert_status 127
	assert_eq "$stderr" "nsu: ls: command not found" "stderr"
}

@test "as a user: --setenv PATH is the PATH the command is looked up in" {
	mkdir bin
	printf '#!/bin/sh\necho "mine $PATH"\n' >bin/only-here
	chmod 0755 bin/only-here
	run --separate-stderr nsu_as nsu-one --setenv PATH "$T/bin" -- only-here
	assert_status 0
	assert_eq "$output" "mine $T/bin" "output"
	run -127 --separate-stderr nsu_as nsu-one --setenv PATH /nonexistent -- ls
	assert_status 127
	assert_eq "$stderr" "nsu: ls: command not found" "stderr"
}

@test "as real root, --map-current-user without ranges: the advice is --remap or --uidmap, not ranges for root" {
	run --separate-stderr "$NSU" --map-current-user -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "uid 0 0 1" "gid 0 0 1" "setgroups allow")" "maps"
	assert_eq "$stderr" "nsu: warning: mapping only uid 0 and gid 0: root has no subordinate ids in /etc/subuid and /etc/subgid; as root, name the user whose subordinate ranges to map with --remap USER, or give the map lines with --uidmap and --gidmap (chown to other ids fails inside; --single or -q silences this)" "stderr"
}
