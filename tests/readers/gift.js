// Parse a GIFT file with gift-pegjs, the parser GIFT editors and converters use, and print
// what it read as JSON: the export tests compare it with the questions we wrote.
const fs = require("fs");
const { parse } = require("gift-pegjs");

try {
  process.stdout.write(JSON.stringify(parse(fs.readFileSync(process.argv[2], "utf8"))));
} catch (error) {
  const where = error.location ? `${process.argv[2]}:${error.location.start.line}: ` : "";
  process.stderr.write(`${where}${error.message}\n`);
  process.exit(1);
}
