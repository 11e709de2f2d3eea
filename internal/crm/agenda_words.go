package crm

import (
	"sync"
	"sync/atomic"
)

// agendaWord is a short string that many records share — an owner, an
// interaction type — as a number: its index in the process's table of such
// words (0 is ""). The agenda keeps one record a customer, a million in a
// big book; a string there is 16 bytes and a pointer for the collector to
// follow, a word 4 bytes and none. Words are added, never removed: a
// process meets as many as its books have owners and types.
type agendaWord uint32

var (
	agendaWordsMu   sync.Mutex // guards agendaWordIndex and the additions to the list
	agendaWordIndex = map[string]agendaWord{"": 0}
	// agendaWordList is the words by number: read without a lock (an
	// element once written never changes; a reader holds the slice it
	// loaded, which additions never write into).
	agendaWordList atomic.Pointer[[]string]
)

func init() {
	list := []string{""}
	agendaWordList.Store(&list)
}

// String is the word.
func (w agendaWord) String() string {
	if w == 0 {
		return ""
	}
	return (*agendaWordList.Load())[w]
}

// wordOf is the word of s, added to the table if new.
func wordOf(s string) agendaWord {
	if s == "" {
		return 0
	}
	agendaWordsMu.Lock()
	defer agendaWordsMu.Unlock()
	if w, ok := agendaWordIndex[s]; ok {
		return w
	}
	return addWordLocked(s)
}

// wordOfBytes is wordOf of b's text (b is not kept; no string is made for
// a word already in the table).
func wordOfBytes(b []byte) agendaWord {
	if len(b) == 0 {
		return 0
	}
	agendaWordsMu.Lock()
	defer agendaWordsMu.Unlock()
	if w, ok := agendaWordIndex[string(b)]; ok {
		return w
	}
	return addWordLocked(string(b))
}

func addWordLocked(s string) agendaWord {
	list := *agendaWordList.Load()
	w := agendaWord(len(list))
	list = append(list, s) // past every reader's length
	agendaWordList.Store(&list)
	agendaWordIndex[s] = w
	return w
}
