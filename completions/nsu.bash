# bash completion for nsu                                  -*- shell-script -*-
# nsu's own options first; after "--" or the first word that is not an
# option (or an option's value), complete a command and then that command's
# own arguments.
# shellcheck disable=SC2207 # COMPREPLY=($(compgen ...)) as bash-completion does

_nsu_long_opts='--uidmap --gidmap --map-current-user --single --remap
    --print-mappings --check --pid --mount-proc --uts --hostname --ipc --net
    --cgroup --bind --ro-bind --tmpfs --mask-path --ro-path --rootfs --ro-root
    --chdir --setenv --unsetenv --die-with-parent --oom-score-adj --caps-none
    --cap-drop --cap-add --no-new-privs --user --setsid --new-pgrp --rlimit
    --session --session-stop --session-list --join
    --verbose --quiet --help --version'

# The capabilities --cap-drop and --cap-add take, as capsh(1) writes them
# without the cap_ prefix (libcap's names, in the kernel's order).
_nsu_caps='chown dac_override dac_read_search fowner fsetid kill setgid setuid
    setpcap linux_immutable net_bind_service net_broadcast net_admin net_raw
    ipc_lock ipc_owner sys_module sys_rawio sys_chroot sys_ptrace sys_pacct
    sys_admin sys_boot sys_nice sys_resource sys_time sys_tty_config mknod
    lease audit_write audit_control setfcap mac_override mac_admin syslog
    wake_alarm block_suspend audit_read perfmon bpf checkpoint_restore'

# The limits --rlimit takes, as prlimit(1) names them.
_nsu_rlimits='as core cpu data fsize locks memlock msgqueue nice nofile nproc rss
    rtprio rttime sigpending stack'

# _nsu_long_option WORD: the long option WORD stands for. getopt_long takes
# any unambiguous prefix, and an exact name even if it is a prefix of another.
_nsu_long_option()
{
    local w=${1%%=*} o
    local -a m=()
    for o in $_nsu_long_opts; do
        [[ $o == "$w" ]] && { REPLY=$o; return; }
        [[ $o == "$w"* ]] && m+=("$o")
    done
    if ((${#m[@]} == 1)); then
        REPLY=${m[0]}
    else
        REPLY=$w
    fi
}

# _nsu_values OPTION: how many words of value OPTION takes after it.
_nsu_values()
{
    case $1 in
    --setenv | --bind | --ro-bind) REPLY=2 ;;
    --uidmap | --gidmap | --remap | --chdir | -w | --unsetenv | --hostname | \
        --tmpfs | --rootfs | --oom-score-adj | --cap-drop | --cap-add | \
        --mask-path | --ro-path | --user | --rlimit | \
        --session | --session-stop | --join)
        REPLY=1
        ;;
    *) REPLY=0 ;;
    esac
}

# _nsu_sessions: the names of the caller's live sessions, as the nsu being
# completed lists them (a header line, then one session a line).
_nsu_sessions()
{
    local nsu=${words[0]/#\~/$HOME}
    "$nsu" --session-list 2>/dev/null | awk 'NR > 1 { print $1 }'
}

# _nsu_own_pids: the ids of the caller's own processes, those whose
# namespaces --join may enter.
_nsu_own_pids()
{
    local d
    for d in /proc/[1-9]*; do
        [[ -O $d ]] && printf '%s\n' "${d#/proc/}"
    done
}

# _nsu_complete_value OPTION N: complete the Nth word of OPTION's value.
_nsu_complete_value()
{
    case $1 in
    --chdir | -w | --tmpfs | --rootfs)
        _filedir -d
        ;;
    --bind | --ro-bind | --mask-path | --ro-path)
        # SRC and DEST, or PATH
        _filedir
        ;;
    --rlimit)
        # NAME=, then the value (a number or unlimited)
        if [[ $cur == *=* ]]; then
            COMPREPLY=($(compgen -W "unlimited" -- "${cur#*=}"))
        else
            COMPREPLY=($(compgen -S = -W "$_nsu_rlimits" -- "$cur"))
            compopt -o nospace
        fi
        ;;
    --cap-drop | --cap-add)
        # sys_admin, or cap_sys_admin when the prefix is typed
        if [[ $cur == cap_* ]]; then
            COMPREPLY=($(compgen -P cap_ -W "$_nsu_caps" -- "${cur#cap_}"))
        else
            COMPREPLY=($(compgen -W "$_nsu_caps" -- "$cur"))
        fi
        ;;
    --remap)
        # USER[:GROUP]
        if [[ $cur == *:* ]]; then
            COMPREPLY=($(compgen -g -P "${cur%%:*}:" -- "${cur#*:}"))
            __ltrim_colon_completions "$cur"
        else
            COMPREPLY=($(compgen -u -- "$cur"))
        fi
        ;;
    --setenv)
        if (($2 == 1)); then
            COMPREPLY=($(compgen -e -- "$cur"))
        else
            _filedir
        fi
        ;;
    --unsetenv)
        COMPREPLY=($(compgen -e -- "$cur"))
        ;;
    --session | --session-stop)
        COMPREPLY=($(compgen -W "$(_nsu_sessions)" -- "$cur"))
        ;;
    --join)
        COMPREPLY=($(compgen -W "$(_nsu_own_pids)" -- "$cur"))
        ;;
    *)
        # --uidmap, --gidmap (IN:OUT:COUNT), --hostname, --oom-score-adj,
        # --user (UID[:GID] inside): nothing to offer
        COMPREPLY=()
        ;;
    esac
}

_nsu()
{
    local cur prev words cword split
    _init_completion -s -n : || return

    # Walk over nsu's options and their values (n words after the option;
    # "given" of them already in the option's own word).
    local i=1 w opt n given REPLY
    while ((i < cword)); do
        w=${words[i]}
        opt=$w n=0 given=0
        case $w in
        --)
            _command_offset $((i + 1))
            return
            ;;
        --?*)
            _nsu_long_option "$w"
            opt=$REPLY
            _nsu_values "$opt"
            n=$REPLY
            if [[ $w == *=* ]] && ((n > 0)); then
                given=1
                n=$((n - 1))
            fi
            ;;
        -?*)
            # Bundled short options (-vq): -w takes the rest of the word as
            # its value, or the next word when nothing follows it.
            w=${w#-}
            if [[ $w == *w* && -z ${w#*w} ]]; then
                opt=-w
                n=1
            fi
            ;;
        *)
            _command_offset $i
            return
            ;;
        esac
        if ((n > 0 && i + n >= cword)); then
            # The word being completed is a value of this option.
            _nsu_complete_value "$opt" $((cword - i + given))
            return
        fi
        ((i += n + 1))
    done

    if [[ $split == true ]]; then
        # --option=VALUE
        _nsu_long_option "$prev"
        _nsu_complete_value "$REPLY" 1
        return
    fi

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$_nsu_long_opts -v -q -h -V -w --" -- "$cur"))
        return
    fi
    _command_offset "$cword"
} &&
    complete -F _nsu nsu

# ex: filetype=sh
