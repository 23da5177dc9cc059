#!/usr/bin/env bats
# The id maps nsu writes (caller's id to 0, subordinate ranges from 1), what
# they mean for files, the mount namespace, and the command's environment.

load helpers

@test "nsu-one: uid and gid maps are 0 61001 1 and 1 100000 65536, setgroups allow" {
	run --separate-stderr nsu_as nsu-one -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines \
		"uid 0 61001 1" "uid 1 100000 65536" \
		"gid 0 61001 1" "gid 1 100000 65536" \
		"setgroups allow")" "maps"
	assert_eq "$stderr" "" "stderr"
}

@test "nsu-two: two subordinate ranges are mapped back to back" {
	run --separate-stderr nsu_as nsu-two -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines \
		"uid 0 61002 1" "uid 1 200000 1000" "uid 1001 300000 2000" \
		"gid 0 61002 1" "gid 1 200000 1000" "gid 1001 300000 2000" \
		"setgroups allow")" "maps"
	assert_eq "$stderr" "" "stderr"
}

@test "nsu-grp: the gid map starts with the primary gid, not the uid" {
	run --separate-stderr nsu_as nsu-grp -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines \
		"uid 0 61004 1" "uid 1 500000 65536" \
		"gid 0 61104 1" "gid 1 500000 65536" \
		"setgroups allow")" "maps"
}

@test "id -u and id -g print 0 inside" {
	local user
	for user in nsu-one nsu-two nsu-grp; do
		run --separate-stderr nsu_as "$user" -- sh -c 'id -u; id -g'
		assert_status 0
		assert_eq "$output" "$(printf '0\n0')" "id -u; id -g of $user"
	done
}

@test "chown 1000:1000 inside lands on 100999:100999 outside" {
	run --separate-stderr nsu_as nsu-one -- sh -c \
		'touch f0 f1 f1000 f65536 && chown 1:1 f1 && chown 1000:1000 f1000 &&
		 chown 65536:65536 f65536 && stat -c %u:%g f0 f1 f1000 f65536'
	assert_status 0
	assert_eq "$output" "$(printf '0:0\n1:1\n1000:1000\n65536:65536')" "owners inside"
	assert_eq "$(stat -c %u:%g f0 f1 f1000 f65536)" \
		"$(printf '61001:61001\n100000:100000\n100999:100999\n165535:165535')" \
		"owners outside"
}

@test "an id past the map (65537) cannot be used: chown fails" {
	run --separate-stderr nsu_as nsu-one -- sh -c 'touch f && chown 65537 f'
	assert_status 1
	assert_eq "$(stat -c %u f)" 61001 "owner outside"
}

@test "a tmpfs mounted inside is not visible outside" {
	mkdir mnt
	run --separate-stderr nsu_as nsu-one -- sh -c \
		'mount -t tmpfs none mnt && touch mnt/x && test -e mnt/x && grep -c " $PWD/mnt tmpfs " /proc/self/mounts'
	assert_status 0
	assert_eq "$output" 1 "mounts of mnt inside"
	[ ! -e mnt/x ] || flunk "mnt/x exists outside"
	! grep -q " $T/mnt " /proc/self/mounts || flunk "the tmpfs is mounted outside"
}

@test "the command gets the three _CONTAINERS_ variables with the outside ids" {
	run --separate-stderr nsu_as nsu-one -- sh -c 'env | grep ^_CONTAINERS_ | LC_ALL=C sort'
	assert_status 0
	assert_eq "$output" "$(printf '%s\n' _CONTAINERS_ROOTLESS_GID=61001 \
		_CONTAINERS_ROOTLESS_UID=61001 _CONTAINERS_USERNS_CONFIGURED=done)" "variables"

	run --separate-stderr nsu_as nsu-grp -- sh -c 'env | grep ^_CONTAINERS_ | LC_ALL=C sort'
	assert_status 0
	assert_eq "$output" "$(printf '%s\n' _CONTAINERS_ROOTLESS_GID=61104 \
		_CONTAINERS_ROOTLESS_UID=61004 _CONTAINERS_USERNS_CONFIGURED=done)" "variables"
}

@test "_CONTAINERS_ variables of the caller are replaced, not duplicated" {
	run --separate-stderr env _CONTAINERS_ROOTLESS_UID=7 _CONTAINERS_ROOTLESS_GID=8 \
		_CONTAINERS_USERNS_CONFIGURED=x "$BASH" -c \
		'. "$1"; as_user nsu-one "$NSU" -- env' - "$NSU_FIXTURE_LIB"
	assert_status 0
	assert_eq "$(grep ^_CONTAINERS_ <<<"$output" | LC_ALL=C sort)" \
		"$(printf '%s\n' _CONTAINERS_ROOTLESS_GID=61001 \
			_CONTAINERS_ROOTLESS_UID=61001 _CONTAINERS_USERNS_CONFIGURED=done)" "variables"
}

@test "no _NSU variable reaches the command" {
	run --separate-stderr nsu_as nsu-one -- env
	assert_status 0
	! grep -q '^_NSU' <<<"$output" || flunk "an _NSU variable reaches the command:" "$output"
	# Nor a command of a command.
	run --separate-stderr nsu_as nsu-one -- sh -c 'cat /proc/$$/environ | tr "\0" "\n"'
	assert_status 0
	! grep -q '^_NSU' <<<"$output" || flunk "an _NSU variable reaches the command:" "$output"
}

@test "the working directory is preserved" {
	mkdir -p "dir with space/sub"
	chmod -R 0777 "dir with space"
	cd "dir with space/sub"
	run --separate-stderr nsu_as nsu-one -- pwd
	assert_status 0
	assert_eq "$output" "$T/dir with space/sub" "pwd"
	run --separate-stderr nsu_as nsu-one -- sh -c 'stat -c %i .'
	assert_eq "$output" "$(stat -c %i .)" "inode of ."
}

@test "the rest of the environment is passed unchanged" {
	export NSU_TEST_VAR=$'two  spaces\nand a newline=x'
	export NSU_TEST_EMPTY=
	as_user nsu-one env -0 >outside.env
	as_user nsu-one "$NSU" -- env -0 >inside.env
	grep -q -z '^NSU_TEST_VAR=two  spaces' inside.env || flunk "NSU_TEST_VAR is missing inside"
	local strip=(grep -z -v '^_CONTAINERS_\(USERNS_CONFIGURED\|ROOTLESS_UID\|ROOTLESS_GID\)=')
	"${strip[@]}" outside.env | LC_ALL=C sort -z | tr '\0' '\036' >outside.txt
	"${strip[@]}" inside.env | LC_ALL=C sort -z | tr '\0' '\036' >inside.txt
	assert_eq "$(cat inside.txt)" "$(cat outside.txt)" "environment (entries separated by \\036)"
}

@test "40 concurrent nsu runs of one user all get the full map" {
	local i pids=() rc bad=0
	for i in $(seq 1 40); do
		as_user nsu-one timeout "$((30 * ${NSU_TEST_SLOWDOWN:-1}))" "$NSU" -- cat /proc/self/uid_map \
			>"out.$i" 2>"err.$i" </dev/null 3>&- &
		pids+=("$!")
	done
	for i in $(seq 1 40); do
		rc=0
		wait "${pids[i - 1]}" || rc=$?
		if [ "$rc" != 0 ] ||
			[ "$(awk '{print $1, $2, $3}' "out.$i")" != "$(printf '0 61001 1\n1 100000 65536')" ] ||
			[ -s "err.$i" ]; then
			echo "run $i: exit status $rc, stdout $(cat "out.$i"), stderr $(cat "err.$i")" >&2
			bad=$((bad + 1))
		fi
	done
	assert_eq "$bad" 0 "failed runs"
}

# unloaded PID: no library of libsubid's (nor libsubid) is mapped in PID.
unloaded() {
	[ -r "/proc/$1/maps" ] && ! grep -Eq '/lib(subid|pam|pam_misc|audit|selinux|semanage)\.so' "/proc/$1/maps"
}

@test "while the command runs, the supervising nsu keeps none of libsubid's libraries" {
	bg_as nsu-one nsu.pid "$NSU" -- sh -c 'cat /proc/self/uid_map >map.tmp && mv map.tmp map && exec sleep 1000'
	wait_for 5 test -s map
	# The ranges came through libsubid, the only way nsu reads them.
	assert_eq "$(awk '{print $1, $2, $3}' map)" "$(printf '0 61001 1\n1 100000 65536')" "uid map"
	wait_for 5 unloaded "$BG_PID" ||
		flunk "still mapped in the supervising nsu:" "$(grep -E '\.so' "/proc/$BG_PID/maps")"
	kill -TERM "$BG_PID"
	bg_wait 5
	assert_status 143
}
