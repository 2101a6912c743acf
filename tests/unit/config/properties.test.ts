import t from 'tap';
import { javaDateString, parseProperties, storeProperties } from '../../../config/properties.js';

const pairs = (text: string): [string, string][] =>
  parseProperties(text).entries.map((e) => [e.key, e.value]);

t.test('# and ! start comment lines, after optional leading whitespace', async (t) => {
  t.same(pairs('# a=b\n! c=d\n   # e=f\n\t! g=h\nk=v\n'), [['k', 'v']]);
});

t.test('a comment line ending in a backslash does not continue', async (t) => {
  t.same(pairs('# comment \\\nk=v\n'), [['k', 'v']]);
});

t.test('blank and whitespace-only lines are skipped', async (t) => {
  t.same(pairs('\n   \n\t\f\nk=v\n\n'), [['k', 'v']]);
});

t.test('=, : and whitespace all separate key from value', async (t) => {
  t.same(pairs('a=1\nb:2\nc 3\nd\t4\ne\f5\n'),
    [['a', '1'], ['b', '2'], ['c', '3'], ['d', '4'], ['e', '5']]);
});

t.test('whitespace around the separator is dropped, and only one separator is eaten', async (t) => {
  t.same(pairs('a = 1\nb  :  2\nc = = 3\nd==4\ne : =5\n'), [
    ['a', '1'], ['b', '2'], ['c', '= 3'], ['d', '=4'], ['e', '=5'],
  ]);
});

t.test('a key with no value has the empty value', async (t) => {
  t.same(pairs('a\nb=\nc :\n'), [['a', ''], ['b', ''], ['c', '']]);
});

t.test('leading whitespace goes; a value keeps its trailing whitespace', async (t) => {
  t.same(pairs('   a=1  \n'), [['a', '1  ']]);
});

t.test('a trailing odd backslash continues the line; the next line loses its indent', async (t) => {
  t.same(pairs('a=one, \\\n     two, \\\n\tthree\nb=x\n'), [['a', 'one, two, three'], ['b', 'x']]);
});

t.test('an even number of trailing backslashes does not continue the line', async (t) => {
  t.same(pairs('a=x\\\\\nb=y\n'), [['a', 'x\\'], ['b', 'y']]);
});

t.test('a continuation on the last line of the file joins nothing', async (t) => {
  t.same(pairs('a=x\\'), [['a', 'x']]);
});

t.test('\\r\\n, \\r and \\n all end lines', async (t) => {
  t.same(pairs('a=1\r\nb=2\rc=3\nd=4'), [['a', '1'], ['b', '2'], ['c', '3'], ['d', '4']]);
});

t.test('escapes \\t \\n \\r \\f \\\\ and \\uXXXX are decoded; other \\x means x', async (t) => {
  t.same(pairs('a=\\t\\n\\r\\f\\\\\nb=\\u0041\\u00e9\nc=\\q\\#\\=\\:\n'), [
    ['a', '\t\n\r\f\\'], ['b', 'Aé'], ['c', 'q#=:'],
  ]);
});

t.test('escaped separators and spaces stay in the key', async (t) => {
  t.same(pairs('my\\ key\\=x\\:y = v\n'), [['my key=x:y', 'v']]);
});

t.test('a malformed \\uXXXX is an error at its line, and other lines still parse', async (t) => {
  const parsed = parseProperties('a=1\nb=\\u12G4\nc=3\n');
  t.same(parsed.errors, [{ line: 2, message: 'Malformed \\uxxxx encoding.' }]);
  t.same(parsed.entries.map((e) => e.key), ['a', 'c']);
});

t.test('each key remembers the 1-based line where its logical line starts', async (t) => {
  const parsed = parseProperties('# header\n\na=1\nb=2, \\\n  3\n\nc=4\n');
  t.same(parsed.entries.map((e) => [e.key, e.line]), [['a', 3], ['b', 4], ['c', 7]]);
});

t.test('a repeated key is kept twice, in order (the last one wins for callers)', async (t) => {
  t.same(pairs('a=1\na=2\n'), [['a', '1'], ['a', '2']]);
});

t.test('storeProperties writes the comment, the Java date line and escaped pairs', async (t) => {
  const date = new Date(Date.UTC(2024, 10, 2, 3, 4, 5));
  t.equal(javaDateString(date), 'Sat Nov 02 03:04:05 UTC 2024');
  const text = storeProperties([['a key', ' lead=x#'], ['b', 'tab\there']], '', date);
  t.equal(text, '#\n#Sat Nov 02 03:04:05 UTC 2024\na\\ key=\\ lead\\=x\\#\nb=tab\\there\n');
  t.same(pairs(text), [['a key', ' lead=x#'], ['b', 'tab\there']], 'round-trips');
});
