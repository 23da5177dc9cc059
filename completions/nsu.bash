# bash completion for nsu                                  -*- shell-script -*-
# nsu's own options first; after "--" or the first word that is not an
# option, complete a command and then that command's own arguments.

_nsu()
{
    local cur prev words cword
    _init_completion || return

    local i
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in
        --)
            _command_offset $((i + 1))
            return
            ;;
        -*) ;;
        *)
            _command_offset $i
            return
            ;;
        esac
    done

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W '--verbose --quiet --help --version -v -q -h -V --' -- "$cur"))
        return
    fi
    _command_offset $cword
} &&
    complete -F _nsu nsu

# ex: filetype=sh
