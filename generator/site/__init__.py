"""The site: page contexts (views), templates rendered, MkDocs run, pages assembled, downloads, search."""
