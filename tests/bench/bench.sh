#!/bin/bash
# Benchmark nsu against util-linux's "unshare --map-auto --map-root-user".
#
# Both run a command as uid 0 in a new user namespace whose map covers the
# caller's subordinate ids, set up by the setuid newuidmap and newgidmap.
# This script times "CMD -- true" for each, as an unprivileged test user
# with real /etc/subuid and /etc/subgid ranges, interleaving the commands
# so that drift in machine load affects all of them alike, and measures
# their peak resident set size with GNU time. See tests/bench/README.md.
#
# Usage: tests/bench/bench.sh [--runs N] [--rss-runs N] [--nsu PATH]
#                             [--max-ratio X]
# Run as root: root is needed only to add the test user, in a private
# mount namespace (tests/lib/fixture.bash); the host is not modified.

# shellcheck source-path=SCRIPTDIR
set -euo pipefail

prog=${0##*/}
top=$(cd "$(dirname "$0")/../.." && pwd)

usage() {
	cat <<EOF
Usage: $prog [--runs N] [--rss-runs N] [--nsu PATH] [--max-ratio X]

Time "nsu -- true" against "unshare --map-auto --map-root-user true" (and
bwrap, buildah and podman where installed) as an unprivileged test user,
and print a Markdown table with their median and mean wall time and peak
resident set size. Must be run as root, to create the test user in a
private mount namespace; the host is not modified.

Options:
  --runs N        timed runs per command, in total (default 60, at least 30)
  --rss-runs N    runs per command under GNU time for peak RSS (default 20,
                  at least 10)
  --nsu PATH      nsu binary to measure (default: \$NSU_BUILD_BIN, else
                  src/nsu in the source tree)
  --max-ratio X   exit 1 if nsu's median time exceeds X times unshare's
  -h, --help      show this help and exit
EOF
}

die() {
	echo "$prog: $*" >&2
	exit 2
}

runs=60
rss_runs=20
per_round=5	# timed runs of each command per hyperfine invocation
warmup=2	# warmup runs of each command per hyperfine invocation
max_ratio=
nsu_bin=${NSU_BUILD_BIN:-$top/src/nsu}
orig_args=("$@")	# for the re-execution in the private mount namespace

while [ $# -gt 0 ]; do
	case $1 in
	--runs) [ $# -ge 2 ] || die "--runs needs a value"; runs=$2; shift 2 ;;
	--runs=*) runs=${1#*=}; shift ;;
	--rss-runs) [ $# -ge 2 ] || die "--rss-runs needs a value"; rss_runs=$2; shift 2 ;;
	--rss-runs=*) rss_runs=${1#*=}; shift ;;
	--nsu) [ $# -ge 2 ] || die "--nsu needs a value"; nsu_bin=$2; shift 2 ;;
	--nsu=*) nsu_bin=${1#*=}; shift ;;
	--max-ratio) [ $# -ge 2 ] || die "--max-ratio needs a value"; max_ratio=$2; shift 2 ;;
	--max-ratio=*) max_ratio=${1#*=}; shift ;;
	-h|--help) usage; exit 0 ;;
	*) die "unknown option: $1 (see --help)" ;;
	esac
done

if ! [[ $runs =~ ^[0-9]+$ ]] || [ "$runs" -lt 30 ]; then
	die "--runs must be a whole number of at least 30 (got '$runs')"
fi
if ! [[ $rss_runs =~ ^[0-9]+$ ]] || [ "$rss_runs" -lt 10 ]; then
	die "--rss-runs must be a whole number of at least 10 (got '$rss_runs')"
fi
runs=$((10#$runs)) rss_runs=$((10#$rss_runs))
[ -z "$max_ratio" ] || [[ $max_ratio =~ ^[0-9]+(\.[0-9]+)?$ ]] ||
	die "--max-ratio must be a positive number (got '$max_ratio')"

# Tools, and the Debian package that installs each.
need() {
	local path=$1 pkg=$2
	if [[ $path == */* ]]; then
		[ -x "$path" ] && return 0
	else
		command -v "$path" >/dev/null 2>&1 && return 0
	fi
	die "$path not found: install the Debian package '$pkg' (apt-get install $pkg)"
}
need hyperfine hyperfine
need /usr/bin/time time
need newuidmap uidmap
need newgidmap uidmap
need unshare util-linux
need setpriv util-linux

[ "$(id -u)" = 0 ] ||
	die "must be run as root: it adds a test user in a private mount namespace (the host is not modified) and runs the benchmark as that user"

case $nsu_bin in /*) ;; *) nsu_bin=$PWD/$nsu_bin ;; esac
if ! [ -f "$nsu_bin" ] || ! [ -x "$nsu_bin" ]; then
	die "nsu binary '$nsu_bin' not found or not executable: build it (./autogen.sh && ./configure && make) or pass --nsu PATH"
fi

# shellcheck source=../lib/fixture.bash
. "$top/tests/lib/fixture.bash"
export NSU_BUILD_BIN=$nsu_bin
nsu_fixture_enter "$BASH" "$0" ${orig_args[@]+"${orig_args[@]}"}

# From here on: in a private mount namespace, as root.
nsu_fixture_setup
trap nsu_fixture_teardown EXIT

user=nsu-one
work=$NSU_FIXTURE_DIR/tmp/bench
install -d -m 0755 -o "$user" -g "$(id -g "$user")" "$work"
cd "$work"	# somewhere the test user may be
log=$work/log

note() { echo "$prog: $*" >&2; }

# Correctness first: timing nsu's single-id fallback would be meaningless.
uid_map=$(as_user "$user" "$NSU" -- cat /proc/self/uid_map 2>&1) || {
	note "nsu failed as $user:"
	printf '%s\n' "$uid_map" >&2
	exit 1
}
if ! awk '$1 == 1 && $2 == 100000 && $3 == 65536 { ok = 1 } END { exit !ok }' <<<"$uid_map"; then
	note "nsu did not map $user's subordinate uids (expected a '1 100000 65536' line); its uid_map:"
	printf '%s\n' "$uid_map" >&2
	note "nsu -v says:"
	as_user "$user" "$NSU" -v -- true >&2 || true
	exit 1
fi
unshare_bin=$(command -v unshare)
out=$(as_user "$user" "$unshare_bin" --map-auto --map-root-user cat /proc/self/uid_map 2>&1) ||
	{ note "unshare --map-auto --map-root-user failed as $user (util-linux 2.38 or later is needed):"; printf '%s\n' "$out" >&2; exit 1; }

# A session for the joins, in a runtime directory of the user's own here.
export XDG_RUNTIME_DIR=$work/run
install -d -m 0700 -o "$user" -g "$(id -g "$user")" "$XDG_RUNTIME_DIR"
out=$(as_user "$user" "$NSU" --session bench -- true 2>&1) ||
	{ note "nsu --session failed as $user:"; printf '%s\n' "$out" >&2; exit 1; }
trap 'as_user "$user" "$NSU" --session-stop bench >/dev/null 2>&1; nsu_fixture_teardown' EXIT

# The commands: names for the table, and command lines (no shell is used:
# hyperfine -N splits them into words, so paths must not contain spaces).
# The first two are compared for one call, the next two for repeated calls.
names=("nsu -- true" "unshare --map-auto --map-root-user true"
	"nsu --session bench -- true" "unshare -r true")
cmds=("$NSU -- true" "$unshare_bin --map-auto --map-root-user true"
	"$NSU --session bench -- true" "$unshare_bin -r true")
skipped=()
optional() {
	local name=$1 tool=$2 path cmd out
	shift 2
	if ! path=$(command -v "$tool"); then
		skipped+=("$name: $tool not installed")
		return 0
	fi
	case $path in *[[:space:]]*)
		skipped+=("$name: a space in its path, $path")
		return 0 ;;
	esac
	cmd="$path $*"
	# shellcheck disable=SC2086 # word splitting is intended
	if ! out=$(as_user "$user" $cmd 2>&1 </dev/null); then
		skipped+=("$name: fails as $user: $(printf '%s' "$out" | head -n 1)")
		return 0
	fi
	names+=("$name")
	cmds+=("$cmd")
}
optional "bwrap --unshare-user --uid 0 --gid 0 --bind / / true" bwrap \
	--unshare-user --uid 0 --gid 0 --bind / / true
optional "buildah unshare true" buildah unshare true
optional "podman unshare true" podman unshare true
ncmd=${#names[@]}

# Wall time: rounds of hyperfine, each running every command per_round
# times; the order of the commands rotates from round to round.
rounds=$(( (runs + per_round - 1) / per_round ))
note "timing $ncmd commands, $runs runs each in $rounds interleaved rounds"
# A first, discarded pass warms the page cache and the helpers.
as_user "$user" hyperfine -N --style none --warmup 5 --runs 2 "${cmds[@]}" >"$log" 2>&1 ||
	{ note "hyperfine failed:"; tail -n 20 "$log" >&2; exit 1; }
done_runs=0
for ((r = 0; r < rounds; r++)); do
	# Spread the runs evenly, so that every round has at least two.
	n=$(( (runs * (r + 1)) / rounds - done_runs ))
	done_runs=$((done_runs + n))
	args=()
	for ((j = 0; j < ncmd; j++)); do
		k=$(( (j + r) % ncmd ))
		args+=(-n "${names[k]}" "${cmds[k]}")
	done
	as_user "$user" hyperfine -N --style none --warmup "$warmup" --runs "$n" \
		--export-json "$work/round-$r.json" "${args[@]}" >>"$log" 2>&1 ||
		{ note "hyperfine failed in round $((r + 1)):"; tail -n 20 "$log" >&2; exit 1; }
done

# Every run's time, in ms, as "NAME<TAB>MS" lines. hyperfine's JSON is
# pretty-printed: one "command" line per result, then "times": [ one number
# a line ].
awk '
	/"command": "/ { c = $0; sub(/^[^:]*: "/, "", c); sub(/",?[ \t\r]*$/, "", c); next }
	/"times": \[/ { t = 1; next }
	t && /\]/ { t = 0; next }
	t { v = $0; gsub(/[ \t\r,]/, "", v); printf "%s\t%.6f\n", c, v * 1000 }
' "$work"/round-*.json >"$work/times.tsv"

# Peak RSS: GNU time's %M is the largest resident set (KiB) of the command
# and of the descendants it waited for (the id-map helpers among them).
note "measuring peak RSS, $rss_runs runs each"
: >"$work/rss.tsv"
for ((i = 0; i < rss_runs; i++)); do
	for ((j = 0; j < ncmd; j++)); do
		k=$(( (j + i) % ncmd ))
		rm -f "$work/rss.out"
		# shellcheck disable=SC2086 # word splitting is intended
		as_user "$user" /usr/bin/time -f %M -o "$work/rss.out" ${cmds[k]} >/dev/null 2>>"$log" ||
			{ note "'${names[k]}' failed under /usr/bin/time:"; cat "$work/rss.out" >&2; exit 1; }
		printf '%s\t%s\n' "${names[k]}" "$(tail -n 1 "$work/rss.out")" >>"$work/rss.tsv"
	done
done

# The supervisor's memory: the outer nsu's resident and private memory
# (smaps_rollup) while a command runs, once libsubid is unloaded again.
note "measuring the supervising nsu's memory, $rss_runs runs"
: >"$work/super.tsv"
for ((i = 0; i < rss_runs; i++)); do
	rm -f "$work/super.pid"
	as_user "$user" sh -c 'echo $$ >"$0.tmp" && mv "$0.tmp" "$0" && exec "$1" -- sleep 0.4' \
		"$work/super.pid" "$NSU" </dev/null >/dev/null 2>>"$log" 3>&- &
	super_job=$!
	for ((w = 0; w < 100; w++)); do
		[ -s "$work/super.pid" ] && break
		sleep 0.01
	done
	sleep 0.2 # the command runs: the set-up is over
	awk '/^Rss:/ { r = $2 } /^Private_(Clean|Dirty):/ { p += $2 }
		END { printf "%d\t%d\n", r, p }' "/proc/$(cat "$work/super.pid")/smaps_rollup" \
		>>"$work/super.tsv" || { note "cannot read the supervisor's smaps_rollup"; exit 1; }
	wait "$super_job" || { note "nsu -- sleep failed"; exit 1; }
done
super_rss=$(cut -f1 "$work/super.tsv" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
super_priv=$(cut -f2 "$work/super.tsv" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')

# stats FILE NAME: "MEDIAN MEAN MAX COUNT" of NAME's values in FILE.
stats() {
	awk -F '\t' -v c="$2" '$1 == c { print $2 }' "$1" | sort -n | awk '
		{ v[NR] = $1; s += $1 }
		END {
			if (NR == 0) { print "nan nan nan 0"; exit }
			m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			printf "%.6f %.6f %.6f %d\n", m, s / NR, v[NR], NR
		}'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

declare -A t_med t_mean r_med r_max
for ((k = 0; k < ncmd; k++)); do
	name=${names[k]}
	read -r med mean _ cnt < <(stats "$work/times.tsv" "$name")
	[ "$cnt" -eq "$runs" ] ||
		{ note "expected $runs timed runs of '$name', found $cnt"; exit 1; }
	t_med[$name]=$med
	t_mean[$name]=$mean
	read -r med _ max cnt < <(stats "$work/rss.tsv" "$name")
	[ "$cnt" -eq "$rss_runs" ] ||
		{ note "expected $rss_runs RSS runs of '$name', found $cnt"; exit 1; }
	r_med[$name]=$med
	r_max[$name]=$max
done
base=${names[1]}

echo "## nsu benchmark"
echo
echo "- nsu: $("$NSU" --version 2>/dev/null | head -n 1) ($nsu_bin)"
echo "- unshare: $("$unshare_bin" --version | head -n 1)"
echo "- $(hyperfine --version), kernel $(uname -r), $(nproc) CPUs"
echo "- as $user (uid $(id -u "$user"), subordinate ids 100000:65536)"
echo "- wall time: $runs runs per command in $rounds interleaved rounds (hyperfine -N, $warmup warmup runs per command and round)"
echo "- peak RSS: GNU time %M over $rss_runs runs per command; median, and max in the last column"
for s in ${skipped[@]+"${skipped[@]}"}; do
	echo "- skipped $s"
done
echo
echo "| command | median ms | mean ms | ratio to unshare (median) | peak RSS KiB | RSS ratio | max peak RSS KiB |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
for ((k = 0; k < ncmd; k++)); do
	name=${names[k]}
	# shellcheck disable=SC2016 # the backquotes are Markdown
	printf '| `%s` | %.2f | %.2f | %s | %.0f | %s | %.0f |\n' "$name" \
		"${t_med[$name]}" "${t_mean[$name]}" \
		"$(ratio "${t_med[$name]}" "${t_med[$base]}")" \
		"${r_med[$name]}" "$(ratio "${r_med[$name]}" "${r_med[$base]}")" \
		"${r_max[$name]}"
done
echo
time_ratio=$(ratio "${t_med[${names[0]}]}" "${t_med[$base]}")
rss_ratio=$(ratio "${r_med[${names[0]}]}" "${r_med[$base]}")
join_ratio=$(ratio "${t_med[${names[2]}]}" "${t_med[${names[3]}]}")
echo "nsu/unshare: time ratio $time_ratio, peak RSS ratio $rss_ratio"
echo "joining a session/unshare -r: time ratio $join_ratio"
echo "nsu supervising a command (median of $rss_runs): resident $super_rss KiB, private $super_priv KiB"

if [ -n "$max_ratio" ] && awk -v r="$time_ratio" -v m="$max_ratio" 'BEGIN { exit !(r > m) }'; then
	note "nsu's median time is $time_ratio times unshare's, above --max-ratio $max_ratio"
	exit 1
fi
exit 0
