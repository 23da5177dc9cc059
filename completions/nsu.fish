# fish completion for nsu
# nsu's own options first; after "--" or the first word that is not an
# option (or an option's value), complete a command and then that command's
# own arguments.

# The long option a word stands for: getopt_long takes any unambiguous
# prefix, and an exact name even if it is a prefix of another.
function __fish_nsu_long_option
    set -l word (string split -m1 = -- $argv[1])[1]
    set -l all --uidmap --gidmap --map-current-user --single --remap \
        --print-mappings --check --pid --mount-proc --uts --hostname --ipc --net \
        --cgroup --bind --ro-bind --tmpfs --mask-path --ro-path --rootfs --ro-root \
        --chdir --setenv --unsetenv --die-with-parent --oom-score-adj --caps-none \
        --cap-drop --cap-add --no-new-privs --user --setsid --new-pgrp --rlimit \
        --session --session-stop --session-list --join \
        --verbose --quiet --help --version
    if contains -- $word $all
        echo -- $word
        return
    end
    set -l found (string match -- "$word*" $all)
    if test (count $found) -eq 1
        echo -- $found
    else
        echo -- $word
    end
end

# Where the word being completed is: "options", "value OPTION N" (the Nth
# word of OPTION's value) or "command I" (the command starts at the Ith word
# after nsu).
function __fish_nsu_state
    set -l words (commandline -opc)
    set -e words[1]
    set -l n (count $words)
    set -l i 1
    while test $i -le $n
        set -l word $words[$i]
        set -l opt $word
        set -l want 0
        switch $word
            case --
                echo command (math $i + 1)
                return
            case '--*=*'
                # The value is in the same word; --setenv, --bind and
                # --ro-bind take another.
                set -l long (__fish_nsu_long_option $word)
                if contains -- $long --setenv --bind --ro-bind
                    set opt $long
                    set want 1
                    if test $i -eq $n
                        echo value $long 2
                        return
                    end
                end
            case '--?*'
                set opt (__fish_nsu_long_option $word)
                switch $opt
                    case --setenv --bind --ro-bind
                        set want 2
                    case --uidmap --gidmap --remap --chdir --unsetenv --hostname \
                        --tmpfs --rootfs --oom-score-adj --cap-drop --cap-add \
                        --mask-path --ro-path --user --rlimit \
                        --session --session-stop --join
                        set want 1
                end
            case '-?*'
                # Bundled short options (-vq): -w takes the rest of the word
                # as its value, or the next word when nothing follows it.
                if string match -qr -- '^-[^w]*w$' $word
                    set opt -w
                    set want 1
                end
            case '*'
                echo command $i
                return
        end
        if test $want -gt 0 -a (math $i + $want) -gt $n
            echo value $opt (math $n - $i + 1)
            return
        end
        set i (math $i + $want + 1)
    end
    echo options
end

# NAME= for --rlimit, as prlimit(1) names the limits; after it, unlimited.
function __fish_nsu_rlimits
    set -l cur (commandline -ct)
    set -l value (string split -m1 = -- $cur)
    if test (count $value) -eq 2
        echo -- $value[1]=unlimited
        return
    end
    for l in as core cpu data fsize locks memlock msgqueue nice nofile nproc rss \
        rtprio rttime sigpending stack
        echo -- $l=
    end
end

# The capabilities of --cap-drop and --cap-add, as capsh(1) writes them
# without the cap_ prefix (libcap's names, in the kernel's order).
function __fish_nsu_caps
    printf '%s\n' chown dac_override dac_read_search fowner fsetid kill setgid \
        setuid setpcap linux_immutable net_bind_service net_broadcast net_admin \
        net_raw ipc_lock ipc_owner sys_module sys_rawio sys_chroot sys_ptrace \
        sys_pacct sys_admin sys_boot sys_nice sys_resource sys_time \
        sys_tty_config mknod lease audit_write audit_control setfcap \
        mac_override mac_admin syslog wake_alarm block_suspend audit_read \
        perfmon bpf checkpoint_restore
end

# The names of your live sessions, as the nsu being completed lists them (a
# header line, then one session a line).
function __fish_nsu_sessions
    set -l nsu (commandline -opc)[1]
    set nsu (string replace -r -- '^~(?=/|$)' $HOME $nsu)
    $nsu --session-list 2>/dev/null | string match -r -- '^\S+' | tail -n +2
end

# The ids of your own processes, those whose namespaces --join may enter,
# with their command names. (Call it with 2>/dev/null: a process may end
# before its name is read.)
function __fish_nsu_own_pids
    for dir in /proc/*
        set -l pid (string replace /proc/ '' -- $dir)
        string match -qr -- '^[0-9]+$' $pid; or continue
        test -O $dir; or continue
        read -l comm <$dir/comm
        printf '%s\t%s\n' $pid $comm
    end
end

function __fish_nsu_in_options
    string match -q -r -- '^(options|value)' (__fish_nsu_state)
end

# __fish_nsu_value OPTION N: is the word being completed the Nth of OPTION's value?
function __fish_nsu_value
    test (__fish_nsu_state) = "value $argv[1] $argv[2]"
end

# The command and its arguments, completed as if typed on their own.
function __fish_nsu_complete_command
    set -l state (string split ' ' -- (__fish_nsu_state))
    switch $state[1]
        case options
            # the word being completed is the command, unless it is an option
            set -l word (commandline -ct)
            string match -q -- '-*' $word; and return
            __fish_complete_subcommand --commandline $word
        case command
            set -l words (commandline -opc)
            set -e words[1]
            __fish_complete_subcommand --commandline $words[$state[2]..-1] (commandline -ct)
    end
end

complete -c nsu -f

# Mapping
complete -c nsu -n __fish_nsu_in_options -l uidmap -x -d 'Use these uid map lines (IN:OUT:COUNT[,...])'
complete -c nsu -n __fish_nsu_in_options -l gidmap -x -d 'Use these gid map lines (IN:OUT:COUNT[,...])'
complete -c nsu -n __fish_nsu_in_options -l map-current-user -d 'Keep your own uid and gid inside'
complete -c nsu -n __fish_nsu_in_options -l single -d 'Map only your own uid and gid, to 0'
complete -c nsu -n __fish_nsu_in_options -l remap -x -a '(__fish_complete_users)' -d 'Map the ranges of USER[:GROUP] (root)'
complete -c nsu -n __fish_nsu_in_options -l print-mappings -d 'Print the maps nsu would write, and exit'
complete -c nsu -n __fish_nsu_in_options -l check -d 'Diagnose this host and user, and exit'

# Namespaces
complete -c nsu -n __fish_nsu_in_options -l pid -d 'A pid namespace, under a small init'
complete -c nsu -n __fish_nsu_in_options -l mount-proc -d 'A /proc of the new pid namespace (with --pid)'
complete -c nsu -n __fish_nsu_in_options -l uts -d 'A UTS namespace (host name)'
complete -c nsu -n __fish_nsu_in_options -l hostname -x -d 'Set the host name inside (implies --uts)'
complete -c nsu -n __fish_nsu_in_options -l ipc -d 'An IPC namespace'
complete -c nsu -n __fish_nsu_in_options -l net -d 'A network namespace, with only the loopback up'
complete -c nsu -n __fish_nsu_in_options -l cgroup -d 'A cgroup namespace'

# Filesystem
complete -c nsu -n __fish_nsu_in_options -l bind -r -F -d 'Bind SRC onto DEST inside'
complete -c nsu -n __fish_nsu_in_options -l ro-bind -r -F -d 'Bind SRC onto DEST inside, read-only'
complete -c nsu -n __fish_nsu_in_options -l tmpfs -x -a '(__fish_complete_directories (commandline -ct) "")' -d 'An empty tmpfs on DEST'
complete -c nsu -n __fish_nsu_in_options -l rootfs -x -a '(__fish_complete_directories (commandline -ct) "")' -d 'Run in DIR as / (pivot_root)'
complete -c nsu -n __fish_nsu_in_options -l ro-root -d 'Make the new root read-only (with --rootfs)'
complete -c nsu -n __fish_nsu_in_options -l mask-path -r -F -d 'Hide PATH (an empty read-only directory, or /dev/null)'
complete -c nsu -n __fish_nsu_in_options -l ro-path -r -F -d 'Make PATH read-only'

# Command
complete -c nsu -n __fish_nsu_in_options -s w -l chdir -x -a '(__fish_complete_directories (commandline -ct) "")' -d 'Change to DIR inside'
complete -c nsu -n __fish_nsu_in_options -l setenv -x -a '(set --names --export)' -d 'Set VAR to VALUE for the command'
complete -c nsu -n __fish_nsu_in_options -l unsetenv -x -a '(set --names --export)' -d 'Remove VAR from the command\'s environment'
complete -c nsu -n __fish_nsu_in_options -l die-with-parent -d 'Kill the command when nsu\'s parent dies'
complete -c nsu -n __fish_nsu_in_options -l oom-score-adj -x -d 'The command\'s OOM score adjustment (-1000..1000)'
complete -c nsu -n __fish_nsu_in_options -l caps-none -d 'The command keeps no capability'
complete -c nsu -n __fish_nsu_in_options -l cap-drop -x -a '(__fish_nsu_caps)' -d 'Drop CAP from the command'
complete -c nsu -n __fish_nsu_in_options -l cap-add -x -a '(__fish_nsu_caps)' -d 'Give the command CAP'
complete -c nsu -n __fish_nsu_in_options -l no-new-privs -d 'Set no_new_privs for the command'
complete -c nsu -n __fish_nsu_in_options -l user -x -d 'Run the command as UID[:GID] inside, not 0'
complete -c nsu -n __fish_nsu_in_options -l setsid -d 'A new session, without the controlling terminal'
complete -c nsu -n __fish_nsu_in_options -l new-pgrp -d 'The command leads a process group of its own'
complete -c nsu -n __fish_nsu_in_options -l rlimit -x -a '(__fish_nsu_rlimits)' -d 'Set a resource limit: NAME=SOFT[:HARD]'

# Sessions
complete -c nsu -n __fish_nsu_in_options -l session -x -a '(__fish_nsu_sessions)' -d 'Run the command in session NAME'
complete -c nsu -n __fish_nsu_in_options -l session-stop -x -a '(__fish_nsu_sessions)' -d 'End session NAME, and exit'
complete -c nsu -n __fish_nsu_in_options -l session-list -d 'List your sessions, and exit'
complete -c nsu -n __fish_nsu_in_options -l join -x -a '(__fish_nsu_own_pids 2>/dev/null)' -d 'Run the command in the namespaces of process PID'

# Messages
complete -c nsu -n __fish_nsu_in_options -s v -l verbose -d 'Say what nsu decides and why'
complete -c nsu -n __fish_nsu_in_options -s q -l quiet -d 'Print no warnings'
complete -c nsu -n __fish_nsu_in_options -s h -l help -d 'Show the help and exit'
complete -c nsu -n __fish_nsu_in_options -s V -l version -d 'Show the version and exit'

# Option values after an abbreviated option (--chd), and the second word of
# --setenv, --bind and --ro-bind
complete -c nsu -n '__fish_nsu_value --remap 1' -a '(__fish_complete_users)'
complete -c nsu -n '__fish_nsu_value --chdir 1; or __fish_nsu_value -w 1; or __fish_nsu_value --tmpfs 1; or __fish_nsu_value --rootfs 1' -a '(__fish_complete_directories (commandline -ct) "")'
complete -c nsu -n '__fish_nsu_value --setenv 1; or __fish_nsu_value --unsetenv 1' -a '(set --names --export)'
complete -c nsu -n '__fish_nsu_value --setenv 2' -F
complete -c nsu -n '__fish_nsu_value --bind 1; or __fish_nsu_value --bind 2; or __fish_nsu_value --ro-bind 1; or __fish_nsu_value --ro-bind 2' -F
complete -c nsu -n '__fish_nsu_value --cap-drop 1; or __fish_nsu_value --cap-add 1' -a '(__fish_nsu_caps)'
complete -c nsu -n '__fish_nsu_value --mask-path 1; or __fish_nsu_value --ro-path 1' -F
complete -c nsu -n '__fish_nsu_value --rlimit 1' -a '(__fish_nsu_rlimits)'
complete -c nsu -n '__fish_nsu_value --session 1; or __fish_nsu_value --session-stop 1' -a '(__fish_nsu_sessions)'
complete -c nsu -n '__fish_nsu_value --join 1' -a '(__fish_nsu_own_pids 2>/dev/null)'

# The command and its own arguments
complete -c nsu -a '(__fish_nsu_complete_command)'
