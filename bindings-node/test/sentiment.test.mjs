import { test } from 'node:test'
import assert from 'node:assert/strict'
import { sentiment, sentimentMany, ValidationError } from 'webcare'

test('sentiment scores in Rust, English and Dutch', () => {
  const en = sentiment('I love this, great service!')
  assert.equal(en.language, 'en')
  assert.ok(en.value > 0 && en.compound > 0)
  assert.ok(['positive', 'very_positive'].includes(en.label))
  const nl = sentiment('Dit is verschrikkelijk slecht, ik ben boos', 'nl')
  assert.equal(nl.language, 'nl')
  assert.ok(nl.value < 0, JSON.stringify(nl))
  assert.equal(sentiment('Dit is verschrikkelijk slecht, ik ben boos').language, 'nl')
})

test('sentimentMany keeps order and matches sentiment', () => {
  const texts = ['terrible', 'fine', 'wonderful', 'Heel erg bedankt, top!']
  const many = sentimentMany(texts)
  assert.equal(many.length, texts.length)
  texts.forEach((t, i) => assert.deepEqual(many[i], sentiment(t)))
})

test('sentiment argument checks', () => {
  assert.throws(() => sentiment(42), TypeError)
  assert.throws(() => sentimentMany(['a', 1]), TypeError)
  assert.throws(() => sentiment('x', 'klingon'), ValidationError)
})
