// A JSON document serialized once for everything that writes it out. An export stores the body it sends and sends
// it: one serialization serves both, so what is stored is the very text NCIRCC received, and a megabyte of payload
// is serialized (and made into one flat string by V8) once instead of twice (bench/README.md).

export class JsonText {
  readonly text: string;

  constructor(value: unknown) {
    this.text = JSON.stringify(value);
  }
}
