// The part of mvdan-sh (mvdan/sh's shell parser, compiled to JavaScript) that shellSyntax.ts
// uses. The package ships no types. Its nodes are Go structs seen through GopherJS: fields
// are properties named as in Go (Args, Parts, Value…), positions are methods, and offsets
// count UTF-8 bytes, not UTF-16 code units.
declare module 'mvdan-sh' {
  export interface ShPos {
    Offset(): number;
  }
  export interface ShNode {
    Pos(): ShPos;
    End(): ShPos;
    readonly [field: string]: unknown;
  }
  export interface ShParser {
    /** Throws a ShParseError for text that is not valid shell. */
    Parse(text: string, name: string): ShNode;
  }
  export interface ShParseError {
    Error(): string;
    readonly Text: string;
    readonly Pos: ShPos;
  }
  export type ShParserOption = { readonly __parserOption: true };
  export interface ShSyntax {
    NewParser(...options: ShParserOption[]): ShParser;
    KeepComments(keep: boolean): ShParserOption;
    Variant(variant: number): ShParserOption;
    readonly LangBash: number;
    readonly LangPOSIX: number;
    /** Go's type name of a node: "CallExpr", "Word", "Lit"… */
    NodeType(node: ShNode): string;
    /** Visits nodes depth-first, parents before children; null marks the end of a node's children. */
    Walk(node: ShNode, visit: (node: ShNode | null) => boolean): void;
  }
  export const syntax: ShSyntax;
}
