package pdf

import (
	"bytes"
	"strconv"

	"github.com/signintech/gopdf"
)

// outline nests the outline entries gopdf adds as a flat list: each entry goes under the
// last one before it of a lower level (a section's axes or pôles under the section).
type outline struct {
	items []outlineItem
}

type outlineItem struct {
	obj      *gopdf.OutlineObj
	title    string // written by assemble: gopdf is given none
	level    int
	parent   int // index in items, -1 for the top level
	children []int
}

func (o *outline) add(obj *gopdf.OutlineObj, title string, level int) {
	parent := len(o.items) - 1
	for parent >= 0 && o.items[parent].level >= level {
		parent = o.items[parent].parent
	}
	o.items = append(o.items, outlineItem{obj: obj, title: title, level: level, parent: parent})
	if parent >= 0 {
		o.items[parent].children = append(o.items[parent].children, len(o.items)-1)
	}
}

// nest links each entry to its parent and siblings, replacing the flat chain gopdf made.
func (o *outline) nest() {
	var top []int
	for i, it := range o.items {
		if it.parent < 0 {
			top = append(top, i)
		}
		if n := len(it.children); n > 0 {
			it.obj.SetFirst(o.items[it.children[0]].obj.GetIndex())
			it.obj.SetLast(o.items[it.children[n-1]].obj.GetIndex())
			o.siblings(it.children)
			for _, c := range it.children {
				o.items[c].obj.SetParent(it.obj.GetIndex())
			}
		}
	}
	o.siblings(top)
}

func (o *outline) siblings(list []int) {
	for k, i := range list {
		prev, next := -1, -1
		if k > 0 {
			prev = o.items[list[k-1]].obj.GetIndex()
		}
		if k < len(list)-1 {
			next = o.items[list[k+1]].obj.GetIndex()
		}
		o.items[i].obj.SetPrev(prev)
		o.items[i].obj.SetNext(next)
	}
}

// lastTop is the object number of the last top-level entry.
func (o *outline) lastTop() int {
	for i := len(o.items) - 1; i >= 0; i-- {
		if o.items[i].parent < 0 {
			return o.items[i].obj.GetIndex()
		}
	}
	return 0
}

var (
	outlinesDict = []byte("/Type /Outlines\n")
	lastKey      = []byte("\t/Last ")
)

// fixRoot points the outline root's /Last, which gopdf sets to the entry added last, at
// the last top-level entry, in place in gopdf's output raw: its object number is no
// longer, so it is padded with spaces and no offset moves.
func (o *outline) fixRoot(raw []byte) error {
	last := o.lastTop()
	if len(o.items) == 0 || last == o.items[len(o.items)-1].obj.GetIndex() {
		return nil
	}
	at := bytes.Index(raw, outlinesDict)
	if at < 0 {
		return errLayout
	}
	k := bytes.Index(raw[at:], lastKey)
	if k < 0 {
		return errLayout
	}
	num := raw[at+k+len(lastKey):]
	end := bytes.IndexByte(num, ' ')
	s := strconv.Itoa(last)
	if end < len(s) {
		return errLayout
	}
	copy(num[:end], bytes.Repeat([]byte(" "), end-len(s)))
	copy(num[end-len(s):end], s)
	return nil
}
