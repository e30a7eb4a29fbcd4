import { expect } from 'chai';
import type { AdminShow } from '../../../web/src/api/admin-types.js';
import { ApiError } from '../../../web/src/api/http.js';
import { cycleSeat, toggleAisle, trimToSize } from '../../../web/src/components/admin/layout-edits.js';
import { draftOf, emptyDraft, newSection, nextSection, saleChanges, showBody } from '../../../web/src/components/admin/show-draft.js';
import { showErrors } from '../../../web/src/components/admin/show-field-errors.js';
import { saleChangesBody, showBody as showSchema } from '../../../src/infrastructure/http/booking.schemas.js';
import { checkSectionLayout } from '../../../src/domain/catalog/section-layout.rules.js';
import type { SectionSpec } from '../../../src/domain/catalog/show.events.js';

const filled = () => {
  const draft = emptyDraft();
  Object.assign(draft, {
    title: '봄의 소리',
    venue: '세종문화회관',
    startsAt: '2027-03-01T19:30',
    salesOpenAt: '2027-02-01T10:00',
    maxTicketsPerMember: '4',
    currency: 'KRW',
  });
  draft.sections = [0, 1, 2].map(newSection);
  draft.sections.forEach((section, i) => (section.price = String(150_000 - i * 30_000)));
  return draft;
};

describe('the show builder', () => {
  it('when three sections are built with aisles and accessible seats, then the body is one the API and the domain accept', () => {
    const draft = filled();
    const [a] = draft.sections;
    toggleAisle(a!, 3);
    toggleAisle(a!, 7);
    toggleAisle(a!, 3);
    cycleSeat(a!, '5-1');
    cycleSeat(a!, '5-2');
    cycleSeat(a!, '5-2');
    const body = showSchema.parse(showBody(draft));
    const sections = (body.seating as { sections: SectionSpec[] }).sections;
    expect(sections.map((s) => [s.id, s.rows, s.seatsPerRow, s.price])).to.deep.equal([
      ['A', 5, 10, 150_000],
      ['B', 5, 10, 120_000],
      ['C', 5, 10, 90_000],
    ]);
    expect(sections[0]).to.deep.include({ aisles: [7], wheelchair: ['5-1'], companions: ['5-2'] });
    expect(sections[1]).not.to.have.property('aisles');
    sections.forEach((section, i) => checkSectionLayout(section, i));
    expect(body.salesOpenAt).to.equal(new Date('2027-02-01T10:00').toISOString());
  });

  it('when the show is general admission in euros, then capacity and price (in cents) go as the API takes them', () => {
    const draft = { ...filled(), seating: 'general' as const, capacity: '300', gaPrice: '45.50', currency: 'eur', queueEnabled: true };
    const body = showSchema.parse(showBody(draft));
    expect(body.seating).to.deep.equal({ generalAdmission: { capacity: 300, price: 4550 } });
    expect(body).to.deep.include({ currency: 'EUR', queue: { enabled: true, admitPerSecond: 20, maxActive: 200 } });
  });

  it('when a section is added after one was removed, then it takes the first id no section has', () => {
    const sections = [newSection(0), newSection(2)];
    expect(nextSection(sections).id).to.equal('B');
    expect(nextSection([...sections, newSection(1)]).id).to.equal('D');
  });

  it('when a section shrinks, then aisles and accessible seats outside it go, as the API would refuse them', () => {
    const section = newSection(0);
    toggleAisle(section, 9);
    cycleSeat(section, '5-10');
    cycleSeat(section, '1-1');
    section.seatsPerRow = '9';
    trimToSize(section);
    expect(section).to.deep.include({ aisles: [], wheelchair: ['1-1'] });
  });

  it('when a scheduled show is edited, then only what changed is sent, and a time kept as it was is not sent again', () => {
    const show = {
      ...showSchema.parse(showBody(filled())),
      id: 's1',
      salesOpenAt: '2027-02-01T01:00:00.123Z',
      queue: { enabled: false, admitPerSecond: 20, maxActive: 200 },
    } as unknown as AdminShow;
    const before = draftOf(show);
    expect(before.sections[0]!.price).to.equal('150000');
    const after = { ...before, maxTicketsPerMember: '2', queueEnabled: true };
    const changes = saleChanges(after, before);
    expect(changes).to.deep.equal({ maxTicketsPerMember: 2, queue: { enabled: true, admitPerSecond: 20, maxActive: 200 } });
    saleChangesBody.parse(changes);
  });

  it('when the API refuses fields, then each message goes beside its field, deepest first, and the rest is general', () => {
    const known = ['venue', 'maxTicketsPerMember', 'seating.sections.0.aisles', 'seating.sections.0.rows'];
    const invalid = new ApiError(400, 'HTTP.VALIDATION', '…', {
      errors: [
        { path: 'venue', message: 'Too small' },
        { path: 'seating.sections.0.aisles.1', message: 'Too big' },
        { path: 'seating', message: 'at most 100,000 seats' },
      ],
    });
    const spread = showErrors(invalid, known);
    expect(spread.fields).to.deep.equal({
      venue: { status: 400, message: 'Too small' },
      'seating.sections.0.aisles': { status: 400, message: 'Too big' },
    });
    expect(spread.general).to.deep.equal(['seating: at most 100,000 seats']);
    const layout = new ApiError(400, 'CATALOG.INVALID_SHOW', 'seating.sections[0].aisles[0]: an aisle follows a seat from 1 to 9', {
      field: 'seating.sections[0].aisles[0]',
    });
    expect(showErrors(layout, known).fields['seating.sections.0.aisles']?.message).to.equal('an aisle follows a seat from 1 to 9');
    const unsafe = new ApiError(409, 'CATALOG.UNSAFE_CHANGE', 'maxTicketsPerMember cannot change now: it can only go up', {
      field: 'maxTicketsPerMember',
    });
    expect(showErrors(unsafe, known).fields).to.deep.equal({ maxTicketsPerMember: { status: 409, message: 'it can only go up' } });
  });
});
